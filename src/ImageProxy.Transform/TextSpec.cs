namespace ImageProxy.Transform;

/// <summary>Where an overlay sits: one horizontal and one vertical anchor (imgix's txt-align / mark-align).</summary>
public enum HorizontalAnchor { Left, Center, Right }

public enum VerticalAnchor { Top, Middle, Bottom }

/// <summary>
/// <c>txt</c> and its <c>txt-*</c> parameters: text drawn over the finished picture with libvips text (pango). The font
/// is one of <see cref="Families"/> (installed from Debian font packages), bold and italic by name.
/// </summary>
public sealed record TextSpec(
    string? Text, string Family, bool Bold, bool Italic, int Size, Rgba Color, HorizontalAnchor Horizontal, VerticalAnchor Vertical, int Pad, int? Width)
{
    /// <summary>imgix's defaults: 12 px black text in the bottom-right corner, 10 px from the edges.</summary>
    public static readonly TextSpec None = new(null, "DejaVu Sans", false, false, 12, new Rgba(0, 0, 0, 255), HorizontalAnchor.Right, VerticalAnchor.Bottom, 10, null);

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
