using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Before everything: a header-only read. The loader is chosen from the magic bytes and built with access=sequential,
/// which reads the header and decodes no pixel, so limits can be checked before any real work (docs/libvips.md §8).
/// </summary>
internal static class Probe
{
    internal static readonly TransformError PdfRefused = Pdf.NotEnabled;

    public static SourceFacts Run(byte[] source)
    {
        if (source.Length == 0)
        {
            throw new ImagingException(PlanExecutor.Unsupported);
        }

        if (Pdf.LooksLikePdf(source))
        {
            // Said plainly rather than "not a supported image". PlanExecutor.Render turns a PDF of a source that enables
            // it into a PNG before probing; any other PDF stops here, before libvips could pick a loader.
            throw new ImagingException(PdfRefused);
        }

        // The source only pins the bytes (no copy); it must outlive every image read from it, hence the using order below.
        using var input = Source.NewFromMemory(source);

        // A miss leaves "source is not in a known format" in the libvips error buffer; the exception takes and clears it.
        var loader = VipsImage.FindLoadSource(input)
            ?? throw new ImagingException(PlanExecutor.Unsupported, new VipsException("no loader for these bytes"));
        var format = FormatOf(loader) ?? throw new ImagingException(PlanExecutor.Unsupported, new VipsException($"loader {loader} is not allowed"));

        VipsImage image;
        try
        {
            // A blocked loader (ImageMagick, PDF, …) fails here with "operation is blocked".
            image = (VipsImage)Operation.Call(loader, new VOption { { "access", Enums.Access.Sequential } }, input);
        }
        catch (VipsException e)
        {
            throw new ImagingException(PlanExecutor.Unsupported, e);
        }

        using (image)
        {
            if (format == ImageFormat.Heif && IsAvif(image, source))
            {
                format = ImageFormat.Avif;
            }

            return new SourceFacts(
                image.Width,
                image.Height,
                Math.Clamp(IntField(image, "orientation", 1), 1, 8),
                Math.Max(1, IntField(image, "n-pages", 1)),
                format,
                image.HasAlpha());
        }
    }

    /// <summary>Maps a loader's type name (e.g. VipsForeignLoadJpegBuffer) to our format; null for anything not on our list.</summary>
    internal static ImageFormat? FormatOf(string loaderTypeName)
    {
        var name = loaderTypeName.Replace("VipsForeignLoad", string.Empty, StringComparison.Ordinal);
        return name switch
        {
            _ when name.StartsWith("Jpeg", StringComparison.Ordinal) => ImageFormat.Jpeg,
            _ when name.StartsWith("Png", StringComparison.Ordinal) => ImageFormat.Png,
            _ when name.StartsWith("Webp", StringComparison.Ordinal) => ImageFormat.WebP,
            _ when name.StartsWith("Nsgif", StringComparison.Ordinal) || name.StartsWith("Gif", StringComparison.Ordinal) => ImageFormat.Gif,
            _ when name.StartsWith("Heif", StringComparison.Ordinal) => ImageFormat.Heif,
            _ when name.StartsWith("Tiff", StringComparison.Ordinal) => ImageFormat.Tiff,
            _ when name.StartsWith("Svg", StringComparison.Ordinal) => ImageFormat.Svg,
            _ when name.StartsWith("Jxl", StringComparison.Ordinal) => ImageFormat.Jxl,
            _ => null,
        };
    }

    /// <summary>Integer metadata, or <paramref name="fallback"/> when absent (checked first: a failed get would leave text in the error buffer).</summary>
    private static int IntField(VipsImage image, string name, int fallback) =>
        image.Contains(name) && image.Get(name) is int value ? value : fallback;

    /// <summary>heifload reports "heif-compression" = "av1" for AVIF; older builds lack it, so fall back to the ftyp brand.</summary>
    private static bool IsAvif(VipsImage image, byte[] source)
    {
        var compression = image.Contains("heif-compression") ? image.Get("heif-compression") as string : null;
        if (compression is not null)
        {
            return compression.Equals("av1", StringComparison.OrdinalIgnoreCase);
        }

        return source.Length >= 12 && source.AsSpan(8, 4) is var brand && (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8));
    }
}
