using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// The public <see cref="PlanExecutor.Render(byte[], TransformPlan, FormatDecision, Limits, CancellationToken)"/>: probe,
/// <see cref="FormatChoice.Resolve"/>, <see cref="Geometry.Resolve"/> and the steps together. The output, decoded again,
/// must have exactly the size Geometry promised.
/// </summary>
public sealed class EndToEndRenderTests
{
    private static readonly FormatDecision SameAsSource = new(null, false);
    private static readonly FormatDecision Jpeg = new(ImageFormat.Jpeg, false);

    private static TransformPlan Box(int w, int h, FitMode fit) =>
        TransformPlan.Default with { Width = SizeValue.Pixels(w), Height = SizeValue.Pixels(h), Fit = fit };

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string fixture, TransformPlan plan) => new TestCaseData(fixture, plan).SetName($"Render_{name}");

        yield return Case("width_only", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(100) });
        yield return Case("fit_crop_centre", "photo.jpg", Box(80, 80, FitMode.Crop));
        yield return Case("fit_crop_entropy", "photo.jpg", Box(80, 80, FitMode.Crop) with { Crop = new CropSpec(0, 0, CropStrategy.Entropy) });
        yield return Case("fit_crop_edges", "photo.jpg", Box(80, 60, FitMode.Crop) with { Crop = new CropSpec(0, 0, CropStrategy.Edges) });
        yield return Case("fit_crop_topleft", "photo.jpg", Box(50, 90, FitMode.Crop) with { Crop = new CropSpec(-1, -1, CropStrategy.Position) });
        yield return Case("fit_fill_solid", "photo.jpg", Box(90, 90, FitMode.Fill) with { FillColor = new Rgba(255, 0, 0, 255) });
        yield return Case("fit_fill_blur", "photo.jpg", Box(90, 90, FitMode.Fill) with { Fill = FillMode.Blur });
        yield return Case("fit_clamp", "photo.jpg", Box(90, 90, FitMode.Clamp));
        yield return Case("fit_scale", "photo.jpg", Box(70, 90, FitMode.Scale));
        yield return Case("pad", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(100), Pad = new Padding(5, 5, 5, 5) });
        yield return Case("rot_90", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(100), Rotation = 90 });
        yield return Case("rot_45", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(60), Rotation = 45, RotationType = RotationType.Pivot });
        yield return Case("flip_both", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(60), Flip = FlipMode.Both });
        yield return Case("blur_sharp", "photo.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(60), Blur = 100, Sharpen = 50 });
        yield return Case("rect", "photo.jpg", TransformPlan.Default with
        {
            Rect = new RectSpec(new(10, RectUnit.Pixels), new(20, RectUnit.Pixels), new(100, RectUnit.Pixels), new(50, RectUnit.Pixels)),
            Width = SizeValue.Pixels(50),
        });
        yield return Case("exif6_width", "orient6.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(51) });
        yield return Case("exif6_orient_override_0", "orient6.jpg", TransformPlan.Default with { Width = SizeValue.Pixels(100), Orientation = 0 });
        yield return Case("exif6_orient_270_crop", "orient6.jpg", Box(40, 40, FitMode.Crop) with { Orientation = 270 });
        yield return Case("alpha_png_same_format", "alpha.png", TransformPlan.Default with { Width = SizeValue.Pixels(32) });
        yield return Case("gif_same_format", "anim.gif", TransformPlan.Default with { Height = SizeValue.Pixels(50) });
        yield return Case("cmyk", "cmyk.jpg", Box(60, 60, FitMode.Crop));
        yield return Case("png16_max", "png16.png", Box(30, 20, FitMode.Max));
    }

    [TestCaseSource(nameof(Cases))]
    public void Output_has_the_size_geometry_promised(string fixture, TransformPlan plan)
    {
        var src = TestImages.Fixture(fixture);
        var facts = PlanExecutor.Probe(src);
        var g = Geometry.Resolve(plan, facts, Limits.Default).Value!;
        var result = PlanExecutor.Render(src, plan, SameAsSource, Limits.Default);
        var decoded = TestImages.Inspect(result.Bytes);

        var angle = ((plan.Rotation % 360) + 360) % 360;
        if (angle is 90 or 270)
        {
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((g.OutputHeight, g.OutputWidth)));
        }
        else if (angle == 0)
        {
            Assert.That((decoded.Width, decoded.Height), Is.EqualTo((g.OutputWidth, g.OutputHeight)));
        }
        else
        {
            Assert.That(decoded.Width, Is.GreaterThan(g.OutputWidth));
        }

        Assert.That(PlanExecutor.Probe(result.Bytes).Format, Is.EqualTo(result.Format));
    }

    [Test, Category("Smoke")]
    public void Width_only_jpeg_keeps_the_aspect_ratio()
    {
        var result = PlanExecutor.Render(TestImages.Fixture("photo.jpg"), TransformPlan.Default with { Width = SizeValue.Pixels(128) }, Jpeg, Limits.Default);
        Assert.That((TestImages.Inspect(result.Bytes).Width, TestImages.Inspect(result.Bytes).Height), Is.EqualTo((128, 80)));
    }

    [Test, Category("Smoke")]
    public void Exif_6_photo_comes_out_upright()
    {
        var result = PlanExecutor.Render(TestImages.Fixture("orient6.jpg"), TransformPlan.Default, Jpeg, Limits.Default);
        var d = TestImages.Inspect(result.Bytes);
        Assert.That((d.Width, d.Height), Is.EqualTo((102, 205)));
    }

    [Test]
    public void Same_as_source_keeps_png_for_an_alpha_png_and_gif_for_a_gif()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PlanExecutor.Render(TestImages.Fixture("alpha.png"), TransformPlan.Default, SameAsSource, Limits.Default).Format, Is.EqualTo(ImageFormat.Png));
            Assert.That(PlanExecutor.Render(TestImages.Fixture("anim.gif"), TransformPlan.Default, SameAsSource, Limits.Default).Format, Is.EqualTo(ImageFormat.Gif));
        });
    }

    [Test]
    public void Auto_compress_uses_lower_quality()
    {
        var src = TestImages.Fixture("photo.jpg");
        var plain = PlanExecutor.Render(src, TransformPlan.Default, Jpeg, Limits.Default);
        var compressed = PlanExecutor.Render(src, TransformPlan.Default with { AutoCompress = true }, Jpeg with { CompressAuto = true }, Limits.Default);
        Assert.That(compressed.Bytes.Length, Is.LessThan(plain.Bytes.Length));
    }

    [Test, Category("Smoke")]
    public void Source_over_the_pixel_limit_is_422_from_geometry()
    {
        var e = Assert.Throws<ImagingException>(() =>
            PlanExecutor.Render(TestImages.Fixture("photo.jpg"), TransformPlan.Default, Jpeg, Limits.Default with { MaxSourcePixels = 1000 }));
        Assert.That(e!.Error.Status, Is.EqualTo(422));
    }

    [Test]
    public void Animation_over_the_frame_limit_is_422()
    {
        var e = Assert.Throws<ImagingException>(() =>
            PlanExecutor.Render(TestImages.Fixture("anim.gif"), TransformPlan.Default, SameAsSource, Limits.Default with { MaxSourceFrames = 10 }));
        Assert.That(e!.Error.Status, Is.EqualTo(422));
    }

    [Test, Category("Smoke")]
    public void Truncated_jpeg_is_422_through_render()
    {
        var e = Assert.Throws<ImagingException>(() =>
            PlanExecutor.Render(TestImages.Fixture("truncated.jpg"), TransformPlan.Default with { Width = SizeValue.Pixels(64) }, Jpeg, Limits.Default));
        Assert.That(e!.Error.Status, Is.EqualTo(422));
    }

    [Test]
    public void Large_corpus_photo_fit_crop_uses_the_region_path()
    {
        var src = TestImages.Corpus("photo-kleiber-6028x3391.jpg");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = PlanExecutor.Render(src, Box(300, 300, FitMode.Crop), new FormatDecision(ImageFormat.WebP, false), Limits.Default);
        TestContext.Progress.WriteLine($"TIMING kleiber 20 MP fit=crop 300×300 webp: {watch.ElapsedMilliseconds} ms");
        var d = TestImages.Inspect(result.Bytes);
        Assert.That((d.Width, d.Height), Is.EqualTo((300, 300)));
    }
}
