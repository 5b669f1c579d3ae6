using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

public sealed class ProbeTests
{
    public static IEnumerable<TestCaseData> CorpusKinds()
    {
        // file, format, stored width, height, orientation, pages, alpha
        yield return new TestCaseData("photo-garden-2560x1600.jpg", ImageFormat.Jpeg, 2560, 1600, 1, 1, false);
        yield return new TestCaseData("photo-colorfulcups-2560x1600-progressive.jpg", ImageFormat.Jpeg, 2560, 1600, 1, 1, false);
        yield return new TestCaseData("photo-grey-2560x1600.jpg", ImageFormat.Jpeg, 2560, 1600, 1, 1, false);
        yield return new TestCaseData("photo-kleiber-6028x3391.jpg", ImageFormat.Jpeg, 6028, 3391, 1, 1, false);
        yield return new TestCaseData("cmyk-video-001-150x103.jpg", ImageFormat.Jpeg, 150, 103, 1, 1, false);
        yield return new TestCaseData("icc-adobergb-rocket-640x427.jpg", ImageFormat.Jpeg, 640, 427, 1, 1, false);
        yield return new TestCaseData("exif-orient6-iphone-205x102.jpg", ImageFormat.Jpeg, 205, 102, 6, 1, false);
        yield return new TestCaseData("alpha-gopher-1000x1000.png", ImageFormat.Png, 1000, 1000, 1, 1, true);
        yield return new TestCaseData("png16-julia-set-400x400.png", ImageFormat.Png, 400, 400, 1, 1, false);
        yield return new TestCaseData("palette-pastelpaper-512x512.png", ImageFormat.Png, 512, 512, 1, 1, false);
        yield return new TestCaseData("gray-camera-512x512.png", ImageFormat.Png, 512, 512, 1, 1, false);
        yield return new TestCaseData("tiny-1x1-transparent.png", ImageFormat.Png, 1, 1, 1, 1, true);
        yield return new TestCaseData("anim-nburling-238x372.gif", ImageFormat.Gif, 238, 372, 1, 24, true);
        yield return new TestCaseData("webp-adwaita-d-4096x4096.webp", ImageFormat.WebP, 4096, 4096, 1, 1, false);
        yield return new TestCaseData("webp-yellowrose-alpha-400x301.webp", ImageFormat.WebP, 400, 301, 1, 1, true);
        yield return new TestCaseData("svg-emerald-1920x1080.svg", ImageFormat.Svg, 1920, 1080, 1, 1, true);
        yield return new TestCaseData("tiff-gopher-1000x1000.tif", ImageFormat.Tiff, 1000, 1000, 1, 1, true);
        yield return new TestCaseData("broken-truncated-progressive-150x103.jpg", ImageFormat.Jpeg, 150, 103, 1, 1, false);
    }

    [TestCaseSource(nameof(CorpusKinds))]
    public void Reads_the_header_of_each_corpus_kind(string file, ImageFormat format, int width, int height, int orientation, int pages, bool alpha)
    {
        var facts = PlanExecutor.Probe(TestImages.Corpus(file));
        Assert.That(facts, Is.EqualTo(new SourceFacts(width, height, orientation, pages, format, alpha)));
    }

    [Test, Category("Smoke")]
    public void Exif_orientation_6_reports_6_and_the_stored_dimensions()
    {
        var facts = PlanExecutor.Probe(TestImages.Fixture("orient6.jpg"));
        Assert.That(facts, Is.EqualTo(new SourceFacts(205, 102, 6, 1, ImageFormat.Jpeg, false)));
    }

    [Test]
    public void Animated_gif_reports_its_frames()
    {
        var facts = PlanExecutor.Probe(TestImages.Fixture("anim.gif"));
        Assert.That((facts.Format, facts.Width, facts.Height, facts.Pages), Is.EqualTo((ImageFormat.Gif, 14, 25, 24)));
    }

    [Test]
    public void Avif_output_probes_as_avif()
    {
        Assert.That(VipsRuntime.CanSave(ImageFormat.Avif), Is.True, "both supported builds have an AV1 encoder");
        var src = TestImages.Fixture("photo.jpg");
        var avif = TestImages.Run(src, TestImages.Resize(PlanExecutor.Probe(src), 32, 20), ImageFormat.Avif).Bytes;
        Assert.That(PlanExecutor.Probe(avif), Is.EqualTo(new SourceFacts(32, 20, 1, 1, ImageFormat.Avif, false)));
    }

    [Test]
    public void Probe_does_not_decode_pixels()
    {
        // 20 MP: a header read must be far below a decode (~100 ms+), and leave no tracked pixel memory behind.
        var bytes = TestImages.Corpus("photo-kleiber-6028x3391.jpg");
        PlanExecutor.Probe(bytes);
        var high = VipsRuntime.TrackedMemoryHighWater;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            PlanExecutor.Probe(bytes);
        }

        watch.Stop();
        TestContext.Out.WriteLine($"probe of 20 MP JPEG: {watch.Elapsed.TotalMilliseconds / 20:F2} ms");
        Assert.That(VipsRuntime.TrackedMemoryHighWater, Is.EqualTo(high), "no pixel buffers were allocated");
    }

    [Test, Category("Smoke")]
    public void Random_bytes_are_422() =>
        Assert.That(Assert.Throws<ImagingException>(() => PlanExecutor.Probe(TestImages.RandomBytes))!.Error,
            Is.EqualTo(TransformError.Unprocessable("source is not a supported image")));

    [Test, Category("Smoke")]
    public void Zero_bytes_are_422() =>
        Assert.That(Assert.Throws<ImagingException>(() => PlanExecutor.Probe([]))!.Error.Status, Is.EqualTo(422));

    [Test]
    public void Render_of_random_bytes_is_422_before_any_geometry() =>
        Assert.That(Assert.Throws<ImagingException>(() =>
            PlanExecutor.Render(TestImages.RandomBytes, TransformPlan.Default, new FormatDecision(ImageFormat.Jpeg, false), Limits.Default))!.Error.Status,
            Is.EqualTo(422));

    [Test]
    public void Render_refuses_a_source_over_the_byte_limit() =>
        Assert.That(Assert.Throws<ImagingException>(() =>
            PlanExecutor.Render(TestImages.Fixture("photo.jpg"), TransformPlan.Default, new FormatDecision(ImageFormat.Jpeg, false), Limits.Default with { MaxSourceBytes = 100 }))!.Error.Status,
            Is.EqualTo(413));
}
