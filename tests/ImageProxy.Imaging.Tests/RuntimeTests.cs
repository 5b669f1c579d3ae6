using ImageProxy.Imaging.Interop;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

public sealed class RuntimeTests
{
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
    public void Health_probe_runs_a_real_operation() => Assert.That(VipsRuntime.HealthProbe(), Is.True);

    [Test]
    public void Initialize_is_idempotent()
    {
        var before = VipsRuntime.LibraryPath;
        VipsRuntime.Initialize();
        Assert.That(VipsRuntime.LibraryPath, Is.EqualTo(before));
    }

    [Test]
    public void Resolver_finds_the_bundled_build_by_walking_up()
    {
        var bundled = LibraryResolver.FindBundled(AppContext.BaseDirectory);
        // test.sh and run.sh fetch the bundled build first, so its absence is a failure.
        Assert.That(bundled, Is.Not.Null, "no .native/ build above the test directory (run scripts/fetch-libvips.sh)");
        Assert.That(bundled, Does.Match(@"\.native/sharp-libvips-linux-[^/]+/lib/libvips-cpp\.so\.[0-9.]+$"));
    }

    [Test]
    public void Resolver_maps_system_to_the_debian_soname()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LibraryResolver.Choose("system"), Is.EqualTo("libvips.so.42"));
            Assert.That(LibraryResolver.Choose("SYSTEM"), Is.EqualTo("libvips.so.42"));
            Assert.Throws<FileNotFoundException>(() => LibraryResolver.Choose("/nonexistent/libvips.so"));
        });
    }

    [Test]
    public void Log_handler_is_quiet_for_normal_work()
    {
        var before = GLibLog.Count;
        _ = TestImages.Run(TestImages.Fixture("photo.jpg"), TestImages.Resize(PlanExecutor.Probe(TestImages.Fixture("photo.jpg")), 64, 40), ImageFormat.Jpeg);
        Assert.That(GLibLog.Count, Is.EqualTo(before), "no INFO chatter reaches the handler (pitfall 7); last: " + GLibLog.LastMessage);
    }
}
