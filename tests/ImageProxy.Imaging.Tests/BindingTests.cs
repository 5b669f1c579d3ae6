using ImageProxy.Transform;
using NetVips;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// The properties we rely on from NetVips and our start-up settings: errors are typed and take the libvips error buffer
/// with them, bad argument names fail loudly, lifetimes are reference-counted, the leak counters see live pixels, and
/// loaders outside the allow-list are blocked by libvips itself.
/// </summary>
public sealed class BindingTests
{
    [Test, Category("Smoke")]
    public void A_failed_operation_is_a_VipsException_that_takes_the_libvips_text_and_clears_it()
    {
        using var black = VipsImage.Black(4, 4);
        var first = Assert.Throws<VipsException>(() => black.ExtractArea(2, 2, 10, 10).Dispose());
        Assert.That(first!.Message, Does.Contain("extract_area"), "the libvips text is kept for the log");

        // The buffer is process-wide: had the first failure left its text there, the next message would repeat it.
        var next = Assert.Throws<ImagingException>(() => PlanExecutor.Probe(TestImages.RandomBytes));
        Assert.Multiple(() =>
        {
            Assert.That(next!.Error.Status, Is.EqualTo(422));
            Assert.That(next.Error.Message, Does.Not.Contain("VipsForeignLoad"), "libvips text never reaches the public message");
            Assert.That(next.InnerException, Is.InstanceOf<VipsException>());
            Assert.That(next.InnerException!.Message, Does.Contain("not in a known format").And.Not.Contain("extract_area"));
        });
    }

    [Test, Category("Smoke")]
    public void An_unknown_argument_name_is_an_error_not_a_silent_GObject_warning()
    {
        var warningsBefore = GLibLog.Count;
        var e = Assert.Throws<ArgumentException>(() => Operation.Call("black", new VOption { { "no_such_argument", 1 } }, 4, 4));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("no_such_argument"));
            Assert.That(GLibLog.Count, Is.EqualTo(warningsBefore), "looked up first, so GObject never saw the bad name (pitfall 6)");
        });
    }

    [Test]
    public void An_operation_keeps_its_input_alive_after_the_input_is_disposed()
    {
        var black = VipsImage.Black(10, 10);
        using var cropped = black.ExtractArea(1, 1, 5, 5);
        black.Dispose();
        using var memory = cropped.CopyMemory();
        Assert.That((memory.Width, memory.Height), Is.EqualTo((5, 5)));
    }

    [Test]
    public void Leak_counters_see_a_live_memory_image_until_it_is_disposed()
    {
        // The assembly-wide leak check (VipsSetUp) can only catch what these counters see. The counters are process-wide:
        // libvips' worker threads keep and free small region buffers of their own at any moment (CI once saw 4871 bytes
        // appear during this test), so the test asserts on the image's own 30000 bytes, not on equality with the start.
        const long pixelBytes = 100 * 100 * 3;
        var before = VipsRuntime.TrackedMemory;
        var image = VipsImage.Black(100, 100, bands: 3).CopyMemory();
        var held = VipsRuntime.TrackedMemory;
        image.Dispose();
        var after = VipsRuntime.TrackedMemory;
        Assert.Multiple(() =>
        {
            Assert.That(held - before, Is.GreaterThanOrEqualTo(pixelBytes), "the live image is counted");
            Assert.That(held - after, Is.GreaterThanOrEqualTo(pixelBytes - 16 * 1024), "disposing released the image's pixels");
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
        var loader = new[] { "radload_buffer", "ppmload_buffer", "matrixload_source", "csvload_source", "vipsload_source" }
            .First(name => NetVips.NetVips.TypeFind("VipsOperation", name) != 0);
        var direct = Assert.Throws<VipsException>(() => LoadDirectly(loader, rad));
        Assert.That(direct!.Message, Does.Contain("blocked"), loader);
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

    private static void LoadDirectly(string loader, byte[] bytes)
    {
        using var source = Source.NewFromMemory(bytes);
        var image = loader.EndsWith("_buffer", StringComparison.Ordinal)
            ? Operation.Call(loader, null, bytes)
            : Operation.Call(loader, null, source);
        (image as IDisposable)?.Dispose();
    }
}
