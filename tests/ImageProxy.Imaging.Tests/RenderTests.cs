using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// The step list on real libvips with hand-made <see cref="ResolvedGeometry"/> values; every assertion decodes the output
/// bytes again rather than trusting the executor's own report.
/// </summary>
public sealed class RenderTests
{
    private static byte[] Photo => TestImages.Fixture("photo.jpg"); // 256×160
    private static SourceFacts PhotoFacts => PlanExecutor.Probe(Photo);

    private static void AssertSize(RenderResult result, int width, int height)
    {
        var decoded = TestImages.Inspect(result.Bytes);
        Assert.Multiple(() =>
        {
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((width, height)), "decoded size");
            Assert.That((result.Width, result.Height), Is.EqualTo((width, height)), "reported size");
        });
    }

    [Test, Category("Smoke")]
    public void Resize_only()
    {
        AssertSize(TestImages.Run(Photo, TestImages.Resize(PhotoFacts, 100, 62), ImageFormat.Jpeg), 100, 62);
    }

    [Test]
    public void Non_uniform_resize_is_exact() =>
        AssertSize(TestImages.Run(Photo, TestImages.Resize(PhotoFacts, 77, 91), ImageFormat.Png), 77, 91);

    [Test, Category("Smoke")]
    public void Crop_after_resize()
    {
        var g = TestImages.Resize(PhotoFacts, 120, 75) with { Crop = new PixelRect(10, 5, 60, 40), CanvasWidth = 60, CanvasHeight = 40 };
        AssertSize(TestImages.Run(Photo, g, ImageFormat.Jpeg), 60, 40);
    }

    [TestCase(CropStrategy.Edges)]
    [TestCase(CropStrategy.Entropy)]
    public void Smart_crop(CropStrategy strategy)
    {
        var g = TestImages.Resize(PhotoFacts, 120, 75) with
        {
            Crop = new PixelRect(0, 0, 50, 50), SmartCrop = strategy, CanvasWidth = 50, CanvasHeight = 50,
        };
        AssertSize(TestImages.Run(Photo, g, ImageFormat.WebP), 50, 50);
    }

    [Test, Category("Smoke")]
    public void Fill_places_the_picture_on_a_solid_canvas()
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62) with { CanvasWidth = 100, CanvasHeight = 100, PictureY = 19 };
        var plan = TransformPlan.Default with { FillColor = new Rgba(255, 0, 0, 255) };
        var result = TestImages.Run(Photo, g, ImageFormat.Png, plan);
        AssertSize(result, 100, 100);
        Assert.That(TestImages.Pixel(result.Bytes, 50, 5), Is.EqualTo(new double[] { 255, 0, 0 }));
    }

    [Test]
    public void Fill_is_transparent_by_default_where_the_format_keeps_alpha()
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62) with { CanvasWidth = 100, CanvasHeight = 100, PictureY = 19 };
        var result = TestImages.Run(Photo, g, ImageFormat.Png);
        Assert.That(TestImages.Pixel(result.Bytes, 50, 5)[3], Is.EqualTo(0));
    }

    [TestCase(CanvasFill.Blur)]
    [TestCase(CanvasFill.ExtendEdges)]
    public void Fill_with_blur_or_edges(CanvasFill fill)
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62) with { CanvasWidth = 100, CanvasHeight = 100, PictureY = 19, CanvasFill = fill };
        var result = TestImages.Run(Photo, g, ImageFormat.Jpeg);
        AssertSize(result, 100, 100);
        var corner = TestImages.Pixel(result.Bytes, 50, 2);
        Assert.That(corner.Max(), Is.GreaterThan(10), "filled from the picture, not black");
    }

    [Test, Category("Smoke")]
    public void Pad_adds_around_the_canvas_in_bg()
    {
        var g = TestImages.Resize(PhotoFacts, 64, 40) with { Pad = new Padding(5, 6, 7, 8), OutputWidth = 78, OutputHeight = 52 };
        var plan = TransformPlan.Default with { Background = new Rgba(0, 0, 255, 255) };
        var result = TestImages.Run(Photo, g, ImageFormat.Png, plan);
        AssertSize(result, 78, 52);
        Assert.That(TestImages.Pixel(result.Bytes, 0, 0), Is.EqualTo(new double[] { 0, 0, 255 }));
    }

    [Test, Category("Smoke")]
    public void Region_is_extracted_then_resized()
    {
        var g = TestImages.Resize(PhotoFacts, 50, 30) with { Region = new PixelRect(50, 40, 100, 60) };
        AssertSize(TestImages.Run(Photo, g, ImageFormat.Jpeg), 50, 30);
    }

    [Test]
    public void Region_of_a_20_megapixel_jpeg_uses_shrink_on_load()
    {
        var src = TestImages.Corpus("photo-kleiber-6028x3391.jpg");
        var g = TestImages.Resize(PlanExecutor.Probe(src), 300, 200) with { Region = new PixelRect(1000, 500, 3000, 2000) };
        var before = VipsRuntime.TrackedMemoryHighWater;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AssertSize(TestImages.Run(src, g, ImageFormat.Jpeg), 300, 200);
        TestContext.Out.WriteLine($"20 MP region → 300×200: {watch.ElapsedMilliseconds} ms, tracked high water {VipsRuntime.TrackedMemoryHighWater} (before {before})");
    }

    [Test]
    public void Region_with_orientation_override_and_vertical_flip()
    {
        var facts = PlanExecutor.Probe(TestImages.Fixture("orient6.jpg")); // stored 205×102, displays 102×205
        var g = TestImages.Resize(facts, 40, 60) with { Region = new PixelRect(10, 20, 80, 120), Flip = FlipMode.Both };
        AssertSize(TestImages.Run(TestImages.Fixture("orient6.jpg"), g, ImageFormat.Png), 40, 60);
    }

    [Test, Category("Smoke")]
    public void Rotate_90_swaps_the_axes()
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62) with { Rotation = 90 };
        AssertSize(TestImages.Run(Photo, g, ImageFormat.Jpeg), 62, 100);
    }

    [Test]
    public void Rotate_pivot_by_an_odd_angle_grows_the_canvas_and_fills_with_bg()
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62) with { Rotation = 30 };
        var plan = TransformPlan.Default with { Background = new Rgba(0, 255, 0, 255), RotationType = RotationType.Pivot };
        var result = TestImages.Run(Photo, g, ImageFormat.Png, plan);
        var decoded = TestImages.Inspect(result.Bytes);
        Assert.That(decoded.Width, Is.InRange(110, 122));
        Assert.That(decoded.Height, Is.InRange(100, 110));
        var corner = TestImages.Pixel(result.Bytes, 0, 0);
        Assert.That(corner, Is.EqualTo(new double[] { 0, 255, 0 }));
    }

    [Test]
    public void Rotate_turns_clockwise_like_rot()
    {
        // A 20×10 image, left half black, right half white (grey): after 90° clockwise the white half is at the bottom.
        var png = SplitImage();
        var facts = PlanExecutor.Probe(png);
        var rot90 = TestImages.Run(png, TestImages.Resize(facts, 20, 10) with { Rotation = 90 }, ImageFormat.Png);
        var rot89 = TestImages.Run(png, TestImages.Resize(facts, 20, 10) with { Rotation = 89.9 }, ImageFormat.Png);
        Assert.Multiple(() =>
        {
            Assert.That(TestImages.Pixel(rot90.Bytes, 5, 17)[0], Is.GreaterThan(200));
            Assert.That(TestImages.Pixel(rot90.Bytes, 5, 2)[0], Is.LessThan(50));
            var d = TestImages.Inspect(rot89.Bytes);
            Assert.That(TestImages.Pixel(rot89.Bytes, d.Width / 2, d.Height - 4)[0], Is.GreaterThan(200));
        });
    }

    [Test]
    public void Flip_horizontal()
    {
        var png = SplitImage();
        var result = TestImages.Run(png, TestImages.Resize(PlanExecutor.Probe(png), 20, 10) with { Flip = FlipMode.Horizontal }, ImageFormat.Png);
        Assert.That(TestImages.Pixel(result.Bytes, 2, 5)[0], Is.GreaterThan(200));
    }

    [Test]
    public void Blur_and_sharpen_keep_size_and_layout()
    {
        var plan = TransformPlan.Default with { Blur = 50, Sharpen = 60 };
        var result = TestImages.Run(Photo, TestImages.Resize(PhotoFacts, 100, 62), ImageFormat.Jpeg, plan);
        var d = TestImages.Inspect(result.Bytes);
        Assert.That((d.Width, d.Height, d.Bands, d.BandFormat), Is.EqualTo((100, 62, 3, 0)));
    }

    public static IEnumerable<TestCaseData> Magic()
    {
        yield return new TestCaseData(ImageFormat.Jpeg, new byte[] { 0xFF, 0xD8, 0xFF }, 0);
        yield return new TestCaseData(ImageFormat.Png, new byte[] { 0x89, 0x50, 0x4E, 0x47 }, 0);
        yield return new TestCaseData(ImageFormat.WebP, "WEBP"u8.ToArray(), 8);
        yield return new TestCaseData(ImageFormat.Gif, "GIF8"u8.ToArray(), 0);
        yield return new TestCaseData(ImageFormat.Avif, "ftypavif"u8.ToArray(), 4);
    }

    [TestCaseSource(nameof(Magic))]
    [Category("Smoke")]
    public void Every_output_format_has_its_magic_bytes(ImageFormat format, byte[] magic, int offset)
    {
        // Both supported builds write all of these; a build that cannot is a failure, not a skip.
        Assert.That(VipsRuntime.CanSave(format), Is.True, $"this libvips build cannot write {format}");
        var result = TestImages.Run(Photo, TestImages.Resize(PhotoFacts, 40, 25), format);
        var bytes = result.Bytes;
        Assert.Multiple(() =>
        {
            Assert.That(result.Format, Is.EqualTo(format));
            Assert.That(bytes.AsSpan(offset, magic.Length).ToArray(), Is.EqualTo(magic));
            Assert.That(PlanExecutor.Probe(bytes).Width, Is.EqualTo(40));
        });
    }

    [Test]
    [Category("Smoke")]
    public void Fm_jxl_is_a_clear_400_when_the_build_cannot_write_it()
    {
        // Neither supported build can write JXL to a buffer (the bundled one has no saver; Debian 8.14's
        // jxlsave_buffer fails at run time), so the capability report must say so and fm=jxl must be refused.
        Assert.That(VipsRuntime.CanSave(ImageFormat.Jxl), Is.False);
        var choice = FormatChoice.Choose(TransformPlan.Default with { Format = ImageFormat.Jxl }, null, VipsRuntime.CanSave);
        Assert.That(choice.Error, Is.Not.Null);
        Assert.That(choice.Error!.Status, Is.EqualTo(400));
        Assert.That(choice.Error.Message, Does.Contain("jxl"));
    }

    [Test]
    public void Progressive_jpeg_and_quality()
    {
        var g = TestImages.Resize(PhotoFacts, 100, 62);
        var baseline = TestImages.Run(Photo, g, ImageFormat.Jpeg, TransformPlan.Default with { Quality = 90 }).Bytes;
        var progressive = TestImages.Run(Photo, g, ImageFormat.Jpeg, TransformPlan.Default with { Quality = 90, Progressive = true }).Bytes;
        var low = TestImages.Run(Photo, g, ImageFormat.Jpeg, TransformPlan.Default with { Quality = 20 }).Bytes;
        Assert.Multiple(() =>
        {
            Assert.That(ContainsMarker(progressive, 0xC2), Is.True, "SOF2 marker");
            Assert.That(ContainsMarker(baseline, 0xC2), Is.False);
            Assert.That(low.Length, Is.LessThan(baseline.Length));
        });
    }

    [Test]
    public void Metadata_is_stripped()
    {
        var result = TestImages.Run(TestImages.Fixture("orient6.jpg"), TestImages.Resize(PlanExecutor.Probe(TestImages.Fixture("orient6.jpg")), 51, 102), ImageFormat.Jpeg);
        Assert.Multiple(() =>
        {
            Assert.That(PlanExecutor.Probe(result.Bytes).Orientation, Is.EqualTo(1));
            Assert.That(result.Bytes.AsSpan().IndexOf("Exif"u8), Is.EqualTo(-1));
            Assert.That(TestImages.Inspect(result.Bytes).HasIcc, Is.False);
        });
    }

    [TestCase(ImageFormat.Png)]
    [TestCase(ImageFormat.WebP)]
    [Category("Smoke")]
    public void Alpha_is_kept_where_the_format_carries_it(ImageFormat format)
    {
        var src = TestImages.Fixture("alpha.png"); // 64×64 gopher, transparent corners
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 32, 32), format);
        var d = TestImages.Inspect(result.Bytes);
        Assert.Multiple(() =>
        {
            Assert.That(d.Bands, Is.EqualTo(4));
            Assert.That(TestImages.Pixel(result.Bytes, 0, 0)[3], Is.LessThan(10));
        });
    }

    [Test, Category("Smoke")]
    public void Alpha_is_flattened_onto_white_in_jpeg()
    {
        var src = TestImages.Fixture("alpha.png");
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 32, 32), ImageFormat.Jpeg);
        var d = TestImages.Inspect(result.Bytes);
        Assert.Multiple(() =>
        {
            Assert.That(d.Bands, Is.EqualTo(3));
            Assert.That(TestImages.Pixel(result.Bytes, 0, 0), Has.All.GreaterThan(245));
        });
    }

    [Test]
    public void Alpha_is_flattened_onto_bg_in_jpeg()
    {
        var src = TestImages.Fixture("alpha.webp");
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 40, 30), ImageFormat.Jpeg,
            TransformPlan.Default with { Background = new Rgba(0, 0, 0, 255) });
        Assert.That(TestImages.Inspect(result.Bytes).Bands, Is.EqualTo(3));
    }

    [TestCase("cmyk.jpg")]
    [TestCase("adobergb.jpg")]
    [Category("Smoke")]
    public void Profiled_inputs_come_out_as_3_band_srgb(string fixture)
    {
        var src = TestImages.Fixture(fixture);
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 40, 27), ImageFormat.Jpeg);
        var d = TestImages.Inspect(result.Bytes);
        Assert.That((d.Bands, d.BandFormat, d.Interpretation, d.HasIcc), Is.EqualTo((3, 0, 22, false)));
    }

    [Test]
    public void Adobe_rgb_is_converted_not_just_relabelled()
    {
        // Saturated greens/reds move when Adobe RGB is mapped into sRGB; an unconverted copy would keep the stored values.
        var src = TestImages.Fixture("adobergb.jpg");
        var facts = PlanExecutor.Probe(src);
        var converted = TestImages.Run(src, TestImages.Resize(facts, 64, 43), ImageFormat.Png).Bytes;
        using var raw = VipsImage.NewFromBuffer(src);
        double diff = 0;
        for (var x = 0; x < 64; x += 8)
        {
            for (var y = 0; y < 43; y += 8)
            {
                var a = raw.Getpoint(x, y);
                var b = TestImages.Pixel(converted, x, y);
                diff += Math.Abs(a[0] - b[0]) + Math.Abs(a[1] - b[1]) + Math.Abs(a[2] - b[2]);
            }
        }

        Assert.That(diff, Is.GreaterThan(50));
    }

    [Test, Category("Smoke")]
    public void Png_16_bit_comes_out_8_bit()
    {
        var src = TestImages.Fixture("png16.png");
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 48, 48), ImageFormat.Png);
        var d = TestImages.Inspect(result.Bytes);
        Assert.That((d.Bands, d.BandFormat, d.Interpretation), Is.EqualTo((3, 0, 22)));
    }

    [Test]
    public void Grey_input_stays_grey()
    {
        var src = TestImages.Corpus("gray-camera-512x512.png");
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 64, 64), ImageFormat.Jpeg);
        Assert.That(TestImages.Inspect(result.Bytes).Bands, Is.EqualTo(1));
    }

    [Test]
    public void Grey_input_padded_with_a_color_becomes_srgb()
    {
        var src = TestImages.Corpus("gray-camera-512x512.png");
        var g = TestImages.Resize(PlanExecutor.Probe(src), 64, 64) with { Pad = new Padding(4, 4, 4, 4) };
        var result = TestImages.Run(src, g, ImageFormat.Png, TransformPlan.Default with { Background = new Rgba(255, 0, 0, 255) });
        Assert.That(TestImages.Pixel(result.Bytes, 0, 0), Is.EqualTo(new double[] { 255, 0, 0 }));
    }

    [Test, Category("Smoke")]
    public void Exif_orientation_6_gives_a_102_by_205_shaped_output()
    {
        var src = TestImages.Fixture("orient6.jpg");
        var facts = PlanExecutor.Probe(src);
        AssertSize(TestImages.Run(src, TestImages.Resize(facts, 102, 205), ImageFormat.Jpeg), 102, 205);
        AssertSize(TestImages.Run(src, TestImages.Resize(facts, 51, 102), ImageFormat.Jpeg), 51, 102);
    }

    [Test]
    public void Orientation_override_turns_the_stored_pixels_ourselves()
    {
        var src = TestImages.Fixture("orient6.jpg");
        var facts = PlanExecutor.Probe(src);
        AssertSize(TestImages.Run(src, TestImages.Resize(facts, 205, 102, orientation: 1), ImageFormat.Jpeg), 205, 102);
        AssertSize(TestImages.Run(src, TestImages.Resize(facts, 51, 102, orientation: 8), ImageFormat.Jpeg), 51, 102);
    }

    [TestCase(ImageFormat.Gif)]
    [TestCase(ImageFormat.Png)]
    [Category("Smoke")]
    public void Animated_gif_renders_its_first_frame(ImageFormat format)
    {
        var src = TestImages.Fixture("anim.gif");
        var result = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 28, 50), format);
        AssertSize(result, 28, 50);
        Assert.That(PlanExecutor.Probe(result.Bytes).Pages, Is.EqualTo(1));
    }

    [Test]
    public void Svg_renders_at_the_target_size()
    {
        var src = TestImages.Corpus("svg-emerald-1920x1080.svg");
        AssertSize(TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 320, 180), ImageFormat.Png), 320, 180);
    }

    [Test]
    public void Tiff_and_webp_inputs_render()
    {
        var tif = TestImages.Corpus("tiff-gopher-1000x1000.tif");
        AssertSize(TestImages.Run(tif, TestImages.Resize(PlanExecutor.Probe(tif), 100, 100), ImageFormat.WebP), 100, 100);
        var webp = TestImages.Corpus("webp-adwaita-d-4096x4096.webp");
        AssertSize(TestImages.Run(webp, TestImages.Resize(PlanExecutor.Probe(webp), 200, 200), ImageFormat.Jpeg), 200, 200);
    }

    [TestCase(false)]
    [TestCase(true)]
    [Category("Smoke")]
    public void Truncated_jpeg_is_422(bool withRegion)
    {
        // photo.jpg cut after 3,000 of its 5,877 bytes: the header probes fine, the pixels do not decode.
        var src = TestImages.Fixture("truncated.jpg");
        var g = TestImages.Resize(PlanExecutor.Probe(src), 128, 80);
        if (withRegion)
        {
            g = g with { Region = new PixelRect(0, 0, 100, 80) };
        }

        foreach (var format in new[] { ImageFormat.Jpeg, ImageFormat.WebP })
        {
            var e = Assert.Throws<ImagingException>(() => TestImages.Run(src, g, format));
            Assert.That(e!.Error, Is.EqualTo(TransformError.Unprocessable("source image could not be decoded")));
        }
    }

    [Test]
    public void Progressive_jpeg_with_missing_scans_but_an_end_marker_still_renders()
    {
        // The corpus' "truncated" progressive JPEG ends with a proper EOI: libjpeg decodes it without a warning, so it is
        // a (blurry) valid image, not a truncated file.
        var src = TestImages.Fixture("scans-missing-progressive.jpg");
        AssertSize(TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 75, 51), ImageFormat.Jpeg), 75, 51);
    }

    [Test]
    public void Cancellation_is_checked_between_steps()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => TestImages.Run(Photo, TestImages.Resize(PhotoFacts, 50, 31), ImageFormat.Jpeg, ct: cts.Token));
    }

    [TestCase("photo-kleiber-6028x3391.jpg", 400, 225)]
    [TestCase("photo-garden-2560x1600.jpg", 400, 250)]
    [TestCase("webp-adwaita-d-4096x4096.webp", 400, 400)]
    [TestCase("alpha-imagemagick-logo-2135x2048.png", 400, 384)]
    public void Timing_large_sources_to_small_jpeg(string file, int w, int h)
    {
        var src = TestImages.Corpus(file);
        var g = TestImages.Resize(PlanExecutor.Probe(src), w, h);
        TestImages.Run(src, g, ImageFormat.Jpeg); // warm
        var watch = System.Diagnostics.Stopwatch.StartNew();
        const int n = 5;
        for (var i = 0; i < n; i++)
        {
            AssertSize(TestImages.Run(src, g, ImageFormat.Jpeg), w, h);
        }

        TestContext.Progress.WriteLine($"TIMING {file} → {w}×{h} jpeg: {watch.Elapsed.TotalMilliseconds / n:F1} ms/image");
    }

    private static bool ContainsMarker(byte[] jpeg, byte marker)
    {
        for (var i = 0; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A 20×10 grey PNG: left half 0, right half 255.</summary>
    private static byte[] SplitImage()
    {
        using var black = VipsImage.Black(10, 10);
        using var white = black.Embed(0, 0, 20, 10, NetVips.Enums.Extend.Background, [255]);
        using var uchar = white.Cast(NetVips.Enums.BandFormat.Uchar);
        return uchar.PngsaveBuffer();
    }
}
