using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

public sealed class RuntimeTests
{
    private static bool SystemChosen => LibvipsLibrary.Chosen!.Kind == LibvipsLibrary.Choice.System;

    [Test, Category("Smoke")]
    public void Reports_version_library_and_capabilities()
    {
        TestContext.Out.WriteLine(VipsRuntime.Describe());
        Assert.Multiple(() =>
        {
            Assert.That(VipsRuntime.Version, Does.Match(@"^8\.\d+\.\d+"));
            Assert.That(VipsRuntime.LibraryPath, Is.Not.Empty);
            foreach (var f in new[] { ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Gif, ImageFormat.Tiff, ImageFormat.Svg })
            {
                Assert.That(VipsRuntime.CanLoad(f), Is.True, $"load {f}");
            }

            foreach (var f in new[] { ImageFormat.Jpeg, ImageFormat.Png, ImageFormat.WebP, ImageFormat.Gif })
            {
                Assert.That(VipsRuntime.CanSave(f), Is.True, $"save {f}");
            }

            Assert.That(VipsRuntime.CanLoad(ImageFormat.Pdf), Is.False, "PDF stays blocked");
            Assert.That(VipsRuntime.CanSave(ImageFormat.Tiff), Is.False, "not an output format");
            Assert.That(VipsRuntime.Describe(), Does.Contain(VipsRuntime.Version));
        });
    }

    [Test, Category("Smoke")]
    public void The_loaded_file_is_the_chosen_build()
    {
        // test.sh runs the suite on the NuGet build and the Smoke subset again with IMAGEPROXY_LIBVIPS=system.
        var path = VipsRuntime.LibraryPath;
        var chosen = LibvipsLibrary.Chosen!;
        switch (chosen.Kind)
        {
            case LibvipsLibrary.Choice.System:
                Assert.That(path, Does.StartWith("/usr/lib/").And.Contain("libvips.so.42"));
                break;
            case LibvipsLibrary.Choice.File:
                Assert.That(path, Is.EqualTo(new FileInfo(chosen.Path!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? chosen.Path));
                break;
            default:
                var expected = Path.Combine(AppContext.BaseDirectory, "runtimes");
                Assert.That(path, Does.StartWith(expected).And.Match(@"runtimes/linux-(x64|arm64)/native/libvips\.so\.42$"));
                break;
        }
    }

    [Test, Category("Smoke")]
    public void Health_probe_runs_a_real_operation() => Assert.That(VipsRuntime.HealthProbe(), Is.True);

    [Test]
    public void Initialize_is_idempotent()
    {
        var before = VipsRuntime.LibraryPath;
        VipsRuntime.Initialize();
        VipsRuntime.Initialize(LibvipsLibrary.Chosen!.ToString()); // the same build, named explicitly
        Assert.That(VipsRuntime.LibraryPath, Is.EqualTo(before));
    }

    [Test]
    public void Asking_for_another_build_after_start_up_is_refused()
    {
        // One process, one libvips: a second build would be a second copy of GLib and every codec.
        var other = LibvipsLibrary.Chosen!.Kind == LibvipsLibrary.Choice.System ? "bundled" : "system";
        var e = Assert.Throws<InvalidOperationException>(() => VipsRuntime.Initialize(other));
        Assert.That(e!.Message, Does.Contain("already chosen"));
    }

    [Test]
    public void Library_settings_are_parsed()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(LibvipsLibrary.Parse("SYSTEM"), Is.EqualTo(new LibvipsLibrary.Choice("system")));
                Assert.That(LibvipsLibrary.Parse("bundled"), Is.EqualTo(new LibvipsLibrary.Choice("bundled")));
                Assert.That(LibvipsLibrary.Parse(" "), Is.Null);
                Assert.That(LibvipsLibrary.Parse(file), Is.EqualTo(new LibvipsLibrary.Choice("file", file)));
                Assert.Throws<FileNotFoundException>(() => LibvipsLibrary.Parse("/nonexistent/libvips.so"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Log_handler_is_quiet_for_normal_work()
    {
        var before = GLibLog.Count;
        _ = TestImages.Run(TestImages.Fixture("photo.jpg"), TestImages.Resize(PlanExecutor.Probe(TestImages.Fixture("photo.jpg")), 64, 40), ImageFormat.Jpeg);
        Assert.That(GLibLog.Count, Is.EqualTo(before), "no INFO chatter reaches the handler (pitfall 7); last: " + GLibLog.LastMessage);
    }
}
