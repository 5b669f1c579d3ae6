namespace ImageProxy.Transform;

/// <summary>
/// What <c>fm</c> asks for when the answer is a document about the image rather than an image (imgix's fm=json and
/// fm=blurhash); <see cref="None"/> for every image output.
/// </summary>
public enum DocumentOutput { None, Json, BlurHash }

/// <summary><c>palette</c>: the palette document's format, or none.</summary>
public enum PaletteFormat { None, Json, Css }

/// <summary><c>palette</c>, <c>colors</c>, <c>prefix</c> (imgix's colour palette extraction).</summary>
public sealed record PaletteSpec(PaletteFormat Format, int Colors, string Prefix)
{
    /// <summary>imgix's defaults: six colours, CSS classes named <c>image-…</c>.</summary>
    public const int DefaultColors = 6;

    public const string DefaultPrefix = "image";

    public static readonly PaletteSpec None = new(PaletteFormat.None, DefaultColors, DefaultPrefix);
}

/// <summary>
/// <c>max-bytes</c> and <c>min-q</c> (beyond imgix): the encoder lowers quality, never below <see cref="MinQuality"/>,
/// until the body fits <see cref="MaxBytes"/>, and only then shrinks the picture.
/// </summary>
public sealed record ByteBudget(long? MaxBytes, int MinQuality)
{
    public const int DefaultMinQuality = 30;

    public static readonly ByteBudget None = new(null, DefaultMinQuality);
}
