using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// PDF sources (page, pdf-annotation): one page rasterised by libvips' pdfload (poppler, in Debian's system build only)
/// into a lossless PNG, which then runs through the ordinary pipeline. Only on sources that enable the loader; the
/// sniff below runs before libvips sees the bytes, so a source that has not enabled PDF never reaches pdfload.
/// </summary>
internal static class Pdf
{
    /// <summary>How far into the bytes the sniff looks: PDF readers accept a header anywhere in the first kilobyte.</summary>
    private const int SniffLength = 1024;

    internal static readonly TransformError NotEnabled =
        TransformError.Unprocessable("PDF sources are not enabled for this source (sources.json \"enableLoaders\": [\"pdf\"])");

    internal static readonly TransformError NoLoader =
        TransformError.Unprocessable("this server's libvips build cannot read PDF (the system build with poppler can: --libvips system)");

    /// <summary>
    /// "%PDF" within the first kilobyte: wider than libvips' own test (which looks at the start), so anything libvips
    /// could take for a PDF is caught here first.
    /// </summary>
    public static bool LooksLikePdf(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, SniffLength)].IndexOf("%PDF"u8) >= 0;

    /// <summary>
    /// Overlay images (mask, and the mark and blend images to come) are never PDFs, whatever the source allows: once
    /// pdfload is open in the process, libvips' own sniff in NewFromBuffer would otherwise hand it any overlay that is one.
    /// Every libvips load of overlay bytes goes through this first.
    /// </summary>
    public static void RefuseOverlay(byte[]? bytes, string parameter)
    {
        if (bytes is not null && LooksLikePdf(bytes))
        {
            throw new ImagingException(TransformError.BadParameter(parameter, "the image it names is a PDF; overlays must be images"));
        }
    }

    /// <summary>The plan's page as PNG bytes, at a scale that gives the requested output enough pixels (72 dpi at least).</summary>
    public static byte[] Rasterize(byte[] source, TransformPlan plan, Limits limits)
    {
        if (!limits.PdfLoader)
        {
            throw new ImagingException(NotEnabled);
        }

        if (!VipsRuntime.CanReadPdf)
        {
            throw new ImagingException(NoLoader);
        }

        if (!plan.Pdf.Annotations)
        {
            throw new ImagingException(TransformError.Unprocessable(
                "pdf-annotation=false is not supported: poppler, the PDF renderer of libvips, always draws annotations"));
        }

        VipsRuntime.OpenPdfLoader();
        using var input = Source.NewFromMemory(source);
        var (pages, pageWidth, pageHeight) = Header(input);
        if (plan.Pdf.Page > pages)
        {
            throw new ImagingException(TransformError.BadParameter("page", $"the document has {pages} page{(pages == 1 ? string.Empty : "s")}"));
        }

        var scale = Scale(plan, pageWidth, pageHeight, limits);
        try
        {
            using var page = (VipsImage)Operation.Call(
                "pdfload_source", new VOption { { "page", plan.Pdf.Page - 1 }, { "scale", scale }, { "fail_on", Enums.FailOn.Truncated } }, input);
            // Level 1 deflate: the PNG is read back at once, so speed matters more than size.
            return page.PngsaveBuffer(compression: 1);
        }
        catch (VipsException e)
        {
            throw new ImagingException(Materialize.Undecodable, e);
        }
    }

    /// <summary>Page count and the first page's size in points (pdfload renders 1 pt as 1 px at scale 1).</summary>
    private static (int Pages, int Width, int Height) Header(Source input)
    {
        try
        {
            using var first = (VipsImage)Operation.Call("pdfload_source", new VOption { { "access", Enums.Access.Sequential } }, input);
            var pages = first.Contains("n-pages") && first.Get("n-pages") is int n ? n : 1;
            return (Math.Max(1, pages), first.Width, first.Height);
        }
        catch (VipsException e)
        {
            throw new ImagingException(PlanExecutor.Unsupported, e);
        }
    }

    /// <summary>
    /// Enough pixels for w/h (× dpr) given in pixels, never below 1 (72 dpi) unless the page would pass the source pixel
    /// limit, and at most 8× (576 dpi).
    /// </summary>
    internal static double Scale(TransformPlan plan, int pageWidth, int pageHeight, Limits limits)
    {
        double Want(SizeValue? size, int side) => size is { Unit: SizeUnit.Pixels } s ? s.Value * plan.Dpr / Math.Max(1, side) : 1;
        var scale = Math.Clamp(Math.Max(Want(plan.Width, pageWidth), Want(plan.Height, pageHeight)), 1, 8);
        var pixels = (double)pageWidth * pageHeight * scale * scale;
        return pixels > limits.MaxSourcePixels ? scale * Math.Sqrt(limits.MaxSourcePixels / pixels) : scale;
    }
}
