namespace ImageProxy.Client;

/// <summary>
/// @imgix/js-core's buildSrcSet options, with its defaults. Fluid widths apply when the parameters have neither
/// <c>w</c> nor <c>h</c>; otherwise the srcset lists device pixel ratios.
/// </summary>
public sealed class SrcsetOptions
{
    /// <summary>Exact candidate widths for a fluid srcset, used as given (positive integers).</summary>
    public IReadOnlyList<int>? Widths { get; set; }

    /// <summary>Smallest generated width (default 100).</summary>
    public int MinWidth { get; set; } = SrcsetBuilder.DefaultMinWidth;

    /// <summary>Largest generated width (default 8192); set it to the source's width to avoid upscaled candidates.</summary>
    public int MaxWidth { get; set; } = SrcsetBuilder.DefaultMaxWidth;

    /// <summary>How far apart generated widths are: each is (1 + 2 × tolerance) times the previous (default 0.08).</summary>
    public double WidthTolerance { get; set; } = SrcsetBuilder.DefaultWidthTolerance;

    /// <summary>Ratios of a fixed-size srcset (default 1, 2, 3, 4, 5; each 1–5).</summary>
    public IReadOnlyList<double>? DevicePixelRatios { get; set; }

    /// <summary>Quality per ratio, overriding the defaults (1→75, 2→50, 3→35, 4→23, 5→20) for the ratios given.</summary>
    public IReadOnlyDictionary<double, int>? VariableQualities { get; set; }

    /// <summary>Leaves <c>q</c> out of fixed-size candidates.</summary>
    public bool DisableVariableQuality { get; set; }
}
