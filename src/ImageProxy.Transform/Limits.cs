namespace ImageProxy.Transform;

/// <summary>Safety limits supplied by the host (global defaults, overridable per source).</summary>
public sealed record Limits
{
    public static readonly Limits Default = new();
    public long MaxSourceBytes { get; init; } = 50L * 1024 * 1024;
    public long MaxSourcePixels { get; init; } = 50_000_000;
    /// <summary>Frames of an animated source; imgix allows 900, the default here is lower for a small box.</summary>
    public int MaxSourceFrames { get; init; } = 100;
    /// <summary>
    /// Pixels of an animation summed over its frames, for the decoded source (every frame is held) and for the output
    /// (frames × output size): bounds memory and time whatever the frame count.
    /// </summary>
    public long MaxAnimationPixels { get; init; } = 100_000_000;
    /// <summary>Largest output side; larger requests are sized down proportionally (imgix: 8192).</summary>
    public int MaxOutputSide { get; init; } = 8192;
    public long MaxOutputPixels { get; init; } = 50_000_000;
    public double MaxDpr { get; init; } = 5;

    /// <summary>The source's "textMarkup" switch: pango markup in txt is interpreted (off: escaped and drawn literally).</summary>
    public bool TextMarkup { get; init; }

    /// <summary>The source's "enableLoaders": ["pdf"]: PDF sources may reach libvips' pdfload (off: refused before any loader runs).</summary>
    public bool PdfLoader { get; init; }

    /// <summary>
    /// The limits that shape a successful output (it is sized down to fit them), as text for the cache key. The
    /// source limits and MaxDpr only ever refuse a request, so they stay out: changing them keeps every cached result.
    /// </summary>
    /// <remarks>TextMarkup changes how the same txt is drawn, so it is part of the policy; PdfLoader only refuses or allows.</remarks>
    public string OutputPolicy => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"side={MaxOutputSide};pixels={MaxOutputPixels}")
        + (TextMarkup ? ";markup" : string.Empty);
}
