namespace ImageProxy.Transform;

/// <summary>Where an overlay sits: one horizontal and one vertical anchor (imgix's txt-align / mark-align).</summary>
public enum HorizontalAnchor { Left, Center, Right }

public enum VerticalAnchor { Top, Middle, Bottom }

/// <summary>txt-clip: which part of a caption that does not fit is cut away (imgix's default: the end).</summary>
public enum TextClip { End, Start, Middle }

/// <summary>
/// <c>txt</c> and its <c>txt-*</c> parameters: text drawn over the finished picture with libvips text (pango). The font
/// is one of <see cref="Families"/> (installed from Debian font packages), bold and italic by name.
/// </summary>
public sealed record TextSpec(
    string? Text, string Family, bool Bold, bool Italic, int Size, Rgba Color, HorizontalAnchor Horizontal, VerticalAnchor Vertical, int Pad, int? Width)
{
    /// <summary>imgix's defaults: 12 px black text in the bottom-right corner, 10 px from the edges.</summary>
    public static readonly TextSpec None = new(null, "DejaVu Sans", false, false, 12, new Rgba(0, 0, 0, 255), HorizontalAnchor.Right, VerticalAnchor.Bottom, 10, null);

    /// <summary>Longest txt-line (outline) in pixels: the outline is a max filter of (2·line+1)² pixels.</summary>
    public const int MaxLine = 32;

    /// <summary>txt-fit=max: a caption taller than the picture (less txt-pad) is set smaller until it fits.</summary>
    public bool FitMax { get; init; }

    /// <summary>txt-clip: where a caption that still does not fit loses characters.</summary>
    public TextClip Clip { get; init; }

    /// <summary>txt-clip=…,ellipsis: the cut is marked with "…".</summary>
    public bool Ellipsis { get; init; }

    /// <summary>txt-line: outline width in pixels (0 = none), drawn in <see cref="LineColor"/>.</summary>
    public int Line { get; init; }

    /// <summary>txt-line-color (imgix's default fff).</summary>
    public Rgba LineColor { get; init; } = Rgba.White;

    /// <summary>txt-shad: drop-shadow strength 0–10 (blur radius and offset grow with it; 0 = none).</summary>
    public double Shadow { get; init; }

    /// <summary>txt-x / txt-y: the text box's left / top edge in pixels; each overrides its axis of txt-align.</summary>
    public int? X { get; init; }

    /// <summary>See <see cref="X"/>.</summary>
    public int? Y { get; init; }

    /// <summary>txt-lead: extra pixels between lines.</summary>
    public int Lead { get; init; }

    /// <summary>txt-track: extra pixels between letters (negative tightens).</summary>
    public int Track { get; init; }

    /// <summary>
    /// The spec in device pixels: imgix gives txt sizes in device-independent pixels, so at <c>dpr</c> 2 the text, its
    /// padding, offsets and decorations are twice as large (the picture is too). The outline stays within 2 × <see cref="MaxLine"/>.
    /// </summary>
    public TextSpec AtDensity(double dpr)
    {
        if (dpr == 1)
        {
            return this;
        }

        int Scale(int value) => (int)Math.Round(value * dpr, MidpointRounding.AwayFromZero);
        return this with
        {
            Size = Math.Max(1, Scale(Size)),
            Pad = Scale(Pad),
            Width = Width is { } w ? Math.Max(1, Scale(w)) : null,
            Line = Math.Min(2 * MaxLine, Scale(Line)),
            Shadow = Shadow * dpr,
            X = X is { } x ? Scale(x) : null,
            Y = Y is { } y ? Scale(y) : null,
            Lead = Scale(Lead),
            Track = Scale(Track),
        };
    }

    /// <summary>
    /// Pango markup in the text is interpreted. Never from the URL: the source's "textMarkup" switch sets it (through
    /// <see cref="Limits.TextMarkup"/>), so by default markup is escaped and drawn literally.
    /// </summary>
    public bool Markup { get; init; }

    /// <summary>The documented font families (fonts-dejavu-core, fonts-liberation), by the names txt-font accepts.</summary>
    public static IReadOnlyDictionary<string, string> Families { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["DejaVu Sans"] = "DejaVu Sans",
        ["DejaVu Serif"] = "DejaVu Serif",
        ["DejaVu Sans Mono"] = "DejaVu Sans Mono",
        ["Liberation Sans"] = "Liberation Sans",
        ["Liberation Serif"] = "Liberation Serif",
        ["Liberation Mono"] = "Liberation Mono",
        ["sans-serif"] = "DejaVu Sans",
        ["serif"] = "DejaVu Serif",
        ["monospace"] = "DejaVu Sans Mono",
    };
}
