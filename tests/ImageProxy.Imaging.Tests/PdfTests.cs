using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// PDF sources (page, pdf-annotation) on the hand-written two-page fixture: page 1 has a black bar on the left, page 2
/// a red bar on the right. Smoke: ./test.sh runs these on the bundled build (no pdfload: a clear 422) and on Debian's
/// system build (poppler: real pages).
/// </summary>
[Category("Smoke")]
public sealed class PdfTests
{
    private static readonly Limits PdfEnabled = Limits.Default with { PdfLoader = true };

    private static byte[] Document => TestImages.Corpus("pdf-two-pages-200x160.pdf");

    private static RenderResult Render(string query, Limits limits, byte[]? source = null) =>
        PlanExecutor.Render(source ?? Document, PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!, new FormatDecision(ImageFormat.Png, false), limits);

    [Test]
    public void A_source_that_has_not_enabled_pdf_gets_a_422_that_says_so_on_every_build()
    {
        var e = Assert.Throws<ImagingException>(() => Render("w=100", Limits.Default));
        Assert.That((e!.Error.Status, e.Error.Message), Is.EqualTo((422, "PDF sources are not enabled for this source (sources.json \"enableLoaders\": [\"pdf\"])")));
    }

    [Test]
    public void The_sniff_finds_a_pdf_header_after_leading_bytes_too()
    {
        // PDF readers accept junk before the header; so must the refusal, or such a file would reach a loader's own sniff.
        var prefixed = System.Text.Encoding.ASCII.GetBytes("garbage line\n").Concat(Document).ToArray();
        var e = Assert.Throws<ImagingException>(() => PlanExecutor.Probe(prefixed));
        Assert.That(e!.Error.Message, Does.Contain("not enabled"));
    }

    [Test]
    public void Page_2_renders_differently_from_page_1_or_the_build_says_it_cannot_read_pdf()
    {
        if (!VipsRuntime.CanReadPdf)
        {
            // The bundled NetVips.Native build has no pdfload.
            var e = Assert.Throws<ImagingException>(() => Render("w=100", PdfEnabled));
            Assert.That((e!.Error.Status, e.Error.Message), Is.EqualTo((422, "this server's libvips build cannot read PDF (the system build with poppler can: --libvips system)")));
            return;
        }

        using var first = VipsImage.NewFromBuffer(Render("w=100", PdfEnabled).Bytes);
        using var second = VipsImage.NewFromBuffer(Render("w=100&page=2", PdfEnabled).Bytes);
        Assert.Multiple(() =>
        {
            Assert.That((first.Width, first.Height), Is.EqualTo((100, 80)), "200×160 pt page, w=100");
            Assert.That(first.Getpoint(20, 40)[..3], Is.EqualTo(new double[] { 0, 0, 0 }).Within(30), "page 1: black bar on the left");
            Assert.That(first.Getpoint(80, 40)[..3], Is.EqualTo(new double[] { 255, 255, 255 }).Within(30), "page 1: white on the right");
            Assert.That(second.Getpoint(20, 40)[..3], Is.EqualTo(new double[] { 255, 255, 255 }).Within(30), "page 2: white on the left");
            Assert.That(second.Getpoint(80, 40)[..3], Is.EqualTo(new double[] { 255, 0, 0 }).Within(30), "page 2: red bar on the right");
        });
    }

    [Test]
    public void A_page_past_the_end_is_a_400_naming_page()
    {
        if (!VipsRuntime.CanReadPdf)
        {
            Assert.That(Assert.Throws<ImagingException>(() => Render("page=3", PdfEnabled))!.Error.Status, Is.EqualTo(422), "no pdfload: the build's 422 first");
            return;
        }

        var e = Assert.Throws<ImagingException>(() => Render("page=3", PdfEnabled));
        Assert.That((e!.Error.Status, e.Error.Message), Is.EqualTo((400, "Invalid value for parameter 'page': the document has 2 pages")));
    }

    [Test]
    public void A_large_w_renders_the_page_at_a_higher_scale_not_blurred_up()
    {
        if (!VipsRuntime.CanReadPdf)
        {
            Assert.That(Assert.Throws<ImagingException>(() => Render("w=800", PdfEnabled))!.Error.Status, Is.EqualTo(422));
            return;
        }

        using var large = VipsImage.NewFromBuffer(Render("w=800", PdfEnabled).Bytes);
        // The bar's edge at x = 70 pt → 280 px: rendered at 4×, one step from black to white, not a 4-px ramp.
        var grey = Enumerable.Range(270, 20).Count(x => large.Getpoint(x, 300)[0] is > 40 and < 215);
        Assert.That(large.Width, Is.EqualTo(800));
        Assert.That(grey, Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void Pdf_annotation_false_is_refused_clearly_and_a_pdf_stays_refused_for_other_sources_after_one_was_rendered()
    {
        if (VipsRuntime.CanReadPdf)
        {
            var e = Assert.Throws<ImagingException>(() => Render("pdf-annotation=false", PdfEnabled));
            Assert.That(e!.Error.Status, Is.EqualTo(422));
            Assert.That(e.Error.Message, Does.StartWith("pdf-annotation=false is not supported"));
            _ = Render("w=50", PdfEnabled); // opens pdfload for the process
        }

        // pdfload may now be open in this process, but a source that has not enabled PDF is stopped by the sniff.
        Assert.That(Assert.Throws<ImagingException>(() => Render("w=50", Limits.Default))!.Error.Message, Does.Contain("not enabled"));
    }

    [Test]
    public void A_mask_image_that_is_a_pdf_is_a_400_even_on_a_source_that_enables_pdf()
    {
        var plan = PlanBuilder.Build(RequestParser.Parse("w=100&mask=/masks/m.png").Value!).Value!;
        var e = Assert.Throws<ImagingException>(() => PlanExecutor.Render(
            TestImages.Corpus("photo-grey-2560x1600.jpg"), plan, new FormatDecision(ImageFormat.Png, false), PdfEnabled, EncoderSettings.Default, faces: null, overlays: new OverlayImages(Mask: Document)));
        Assert.That((e!.Error.Status, e.Error.Message), Is.EqualTo((400, "Invalid value for parameter 'mask': the image it names is a PDF; overlays must be images")));
    }
}
