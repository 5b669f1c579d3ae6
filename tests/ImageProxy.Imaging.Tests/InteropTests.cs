using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

public sealed class InteropTests
{
    /// <summary>GObject.ref_count sits after GTypeInstance's class pointer.</summary>
    private static unsafe uint RefCount(nint gobject) => *(uint*)(gobject + 8);

    [Test, Category("Smoke")]
    public void Disposing_a_handle_drops_exactly_its_reference()
    {
        var image = VipsImage.Black(8, 8);
        var raw = image.Handle.DangerousGetHandle();
        GObject.g_object_ref(raw); // keep the object alive so it can be inspected after the handle lets go
        try
        {
            Assert.That(RefCount(raw), Is.EqualTo(2u));
            image.Dispose();
            Assert.Multiple(() =>
            {
                Assert.That(image.Handle.IsClosed, Is.True);
                Assert.That(RefCount(raw), Is.EqualTo(1u));
            });
            image.Dispose(); // idempotent
            Assert.That(RefCount(raw), Is.EqualTo(1u));
        }
        finally
        {
            GObject.g_object_unref(raw);
        }
    }

    [Test]
    public void An_operation_keeps_its_input_alive_after_the_input_handle_is_disposed()
    {
        var black = VipsImage.Black(10, 10);
        using var cropped = black.ExtractArea(1, 1, 5, 5);
        black.Dispose();
        using var memory = cropped.CopyMemory();
        Assert.That((memory.Width, memory.Height), Is.EqualTo((5, 5)));
    }

    [Test, Category("Smoke")]
    public void Unknown_operation_is_a_VipsException_and_the_error_buffer_is_cleared()
    {
        var e = Assert.Throws<VipsException>(() => VipsImage.Call("no_such_op", new VipsArguments()));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("no_such_op"));
            Assert.That(e.VipsError, Does.Contain("no_such_op"), "the libvips text is kept for the log");
            Assert.That(Marshal.PtrToStringUTF8(LibVips.vips_error_buffer()), Is.Empty);
        });
    }

    [Test, Category("Smoke")]
    public void Unknown_argument_is_a_VipsException_not_a_silent_GObject_warning()
    {
        var warningsBefore = GLibLog.Count;
        var e = Assert.Throws<VipsException>(() =>
            VipsImage.Call("black", new VipsArguments().Set("width", 4).Set("height", 4).Set("no_such_argument", 1)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("no_such_argument"));
            Assert.That(GLibLog.Count, Is.EqualTo(warningsBefore), "looked up first, so GObject never saw the bad name");
            Assert.That(Marshal.PtrToStringUTF8(LibVips.vips_error_buffer()), Is.Empty);
        });
    }

    [Test]
    public void Bad_enum_nick_is_a_VipsException()
    {
        using var black = VipsImage.Black(4, 4);
        var e = Assert.Throws<VipsException>(() => black.Rot("d45"));
        Assert.That(e!.Message, Does.Contain("d45"));
    }

    [Test]
    public void Wrong_value_kind_is_a_VipsException()
    {
        var e = Assert.Throws<VipsException>(() => VipsImage.Call("black", new VipsArguments().Set("width", "four").Set("height", 4)));
        Assert.That(e!.Message, Does.Contain("width"));
    }

    [Test]
    public void Build_failure_is_a_VipsException_with_the_libvips_text()
    {
        using var black = VipsImage.Black(4, 4);
        var e = Assert.Throws<VipsException>(() => black.ExtractArea(2, 2, 10, 10));
        Assert.That(e!.VipsError, Does.Contain("extract_area"));
    }

    [Test]
    public void Optional_argument_missing_from_the_build_is_skipped()
    {
        using var image = VipsImage.Call("black", new VipsArguments().Set("width", 3).Set("height", 2).SetIfSupported("not_in_any_build", 5));
        Assert.That((image.Width, image.Height), Is.EqualTo((3, 2)));
    }

    [Test]
    public void Array_of_doubles_reaches_libvips()
    {
        using var black = VipsImage.Black(2, 2, bands: 3);
        using var embedded = black.Embed(1, 1, 4, 4, "background", [10, 20, 30]);
        Assert.That(embedded.GetPoint(0, 0), Is.EqualTo(new double[] { 10, 20, 30 }));
    }

    [Test]
    public void HasArgument_reports_what_the_loaded_build_has()
    {
        Assert.Multiple(() =>
        {
            Assert.That(VipsCall.HasArgument("jpegsave_buffer", "Q"), Is.True);
            Assert.That(VipsCall.HasArgument("jpegsave_buffer", "no_such_thing"), Is.False);
            Assert.That(VipsCall.HasArgument("no_such_op", "Q"), Is.False);
            var (major, minor) = VipsRuntime.VersionNumber;
            Assert.That(VipsCall.HasArgument("jpegsave_buffer", "keep"), Is.EqualTo(major > 8 || minor >= 15));
        });
    }

    [Test, Category("Smoke")]
    public void Loader_outside_the_allow_list_is_refused()
    {
        // Radiance HDR: libvips' own loader (present in every build), not on our list.
        byte[] rad = [.. "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 1\n"u8, 0x80, 0x80, 0x80, 0x81];
        var e = Assert.Throws<ImagingException>(() => PlanExecutor.Probe(rad));
        Assert.That(e!.Error.Status, Is.EqualTo(422));

        // Building a non-listed loader directly is refused by libvips itself ("operation is blocked"), not only by our
        // format map. Builds differ in which extra loaders they have; take the first one this build has.
        var loader = new[] { "radload_buffer", "matrixload_source", "csvload_source", "ppmload_source", "vipsload_source" }
            .First(name => VipsCall.HasArgument(name, "out"));
        var direct = Assert.Throws<VipsException>(() => VipsImage.Call(loader, new VipsArguments()));
        Assert.That(direct!.VipsError, Does.Contain("blocked"), loader);
    }

    [Test]
    public void Bmp_is_refused()
    {
        // 2×1 24-bit BMP. Debian's build would open it through ImageMagick if that loader were not blocked (pitfall 8).
        byte[] bmp =
        [
            0x42, 0x4D, 0x3E, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0,
            0, 0, 0, 0, 8, 0, 0, 0, 0x13, 0x0B, 0, 0, 0x13, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 0, 0,
        ];
        var e = Assert.Throws<ImagingException>(() => PlanExecutor.Probe(bmp));
        Assert.That(e!.Error.Status, Is.EqualTo(422));
    }
}
