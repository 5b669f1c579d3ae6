namespace ImageProxy.Imaging;

/// <summary>
/// Encoder knobs that are server policy rather than request parameters. Defaults favour latency on a small box:
/// AVIF effort 4 (libvips' default) costs several times effort 0–2 for a few percent of bytes (docs/benchmarks.md, "libvips settings").
/// </summary>
public sealed record EncoderSettings
{
    public static readonly EncoderSettings Default = new();

    /// <summary>heifsave effort for AVIF, 0 (fastest) – 9.</summary>
    public int AvifEffort { get; init; } = 2;

    /// <summary>webpsave effort, 0 (fastest) – 6.</summary>
    public int WebpEffort { get; init; } = 4;

    /// <summary>jxlsave effort, 1 (fastest) – 9.</summary>
    public int JxlEffort { get; init; } = 4;

    /// <summary>pngsave zlib compression level, 0 – 9.</summary>
    public int PngCompression { get; init; } = 6;

    /// <summary>Upper bound on the gaussian blur sigma, whatever the plan asks (blur cost grows with sigma).</summary>
    public double MaxBlurSigma { get; init; } = 100;

    /// <summary>Every knob above as text for the cache key: changing one must not serve results encoded the old way.</summary>
    public string Policy => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"avif={AvifEffort};webp={WebpEffort};jxl={JxlEffort};png={PngCompression};blur={MaxBlurSigma:R}");
}
