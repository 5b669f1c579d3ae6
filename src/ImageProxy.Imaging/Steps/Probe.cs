using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Before everything: a header-only read. The loader is chosen from the magic bytes and built with access=sequential,
/// which reads the header and decodes no pixel, so limits can be checked before any real work (libvips-notes §5).
/// </summary>
internal static class Probe
{
    public static unsafe SourceFacts Run(byte[] source)
    {
        if (source.Length == 0)
        {
            throw new ImagingException(PlanExecutor.Unsupported);
        }

        nint found;
        fixed (byte* p = source)
        {
            found = LibVips.vips_foreign_find_load_buffer(p, (nuint)source.Length);
        }

        if (found == 0)
        {
            throw new ImagingException(PlanExecutor.Unsupported, VipsException.FromBuffer("no loader for these bytes"));
        }

        var loader = Marshal.PtrToStringUTF8(found)!;
        var format = FormatOf(loader) ?? throw new ImagingException(PlanExecutor.Unsupported, new VipsException($"loader {loader} is not allowed"));

        VipsImage image;
        try
        {
            // A blocked loader (ImageMagick, PDF, …) fails here with "operation is blocked".
            image = VipsImage.Call(loader, new VipsArguments()
                .Set("buffer", source)
                .SetIfSupported("access", new VipsEnum("sequential")));
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
                Math.Clamp(image.GetInt("orientation", 1), 1, 8),
                Math.Max(1, image.GetInt("n-pages", 1)),
                format,
                image.HasAlpha);
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

    /// <summary>heifload reports "heif-compression" = "av1" for AVIF; older builds lack it, so fall back to the ftyp brand.</summary>
    private static bool IsAvif(VipsImage image, byte[] source)
    {
        var compression = image.GetString("heif-compression");
        if (compression is not null)
        {
            return compression.Equals("av1", StringComparison.OrdinalIgnoreCase);
        }

        return source.Length >= 12 && source.AsSpan(8, 4) is var brand && (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8));
    }
}
