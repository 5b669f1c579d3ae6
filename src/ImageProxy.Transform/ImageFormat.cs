namespace ImageProxy.Transform;

/// <summary>
/// Image formats we read or write. Output formats are the ones with a saver; the rest are inputs only. Documents
/// (fm=json, fm=blurhash, palette) are not formats: see <see cref="DocumentOutput"/>.
/// </summary>
public enum ImageFormat { Jpeg, Png, WebP, Avif, Gif, Jxl, Tiff, Svg, Heif, Pdf }

/// <summary>MIME types and alpha support per format.</summary>
public static class ImageFormats
{
    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Png => "image/png",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Avif => "image/avif",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Jxl => "image/jxl",
        ImageFormat.Tiff => "image/tiff",
        ImageFormat.Svg => "image/svg+xml",
        ImageFormat.Heif => "image/heif",
        ImageFormat.Pdf => "application/pdf",
        _ => "application/octet-stream",
    };

    /// <summary>True when the format can carry an alpha channel (otherwise alpha is flattened onto <c>bg</c>).</summary>
    public static bool CarriesAlpha(this ImageFormat format) => format is not ImageFormat.Jpeg;

    /// <summary>File extension (without dot) used for <c>dl</c> names and logs.</summary>
    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.WebP => "webp",
        _ => format.ToString().ToLowerInvariant(),
    };
}
