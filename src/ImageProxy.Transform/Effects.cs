namespace ImageProxy.Transform;

// Typed plan parts for the imgix rendering surface (issue 11): adjustments, stylize, border, mask, trim,
// fill gradients, encoder options and debugging. Each is a record with value equality and imgix's defaults,
// so "absent" and "the default spelled out" give equal plans and one cache key.

/// <summary>Four corner radii in pixels, clockwise from the top-left corner (the CSS order).</summary>
public readonly record struct CornerRadii(int TopLeft, int TopRight, int BottomRight, int BottomLeft)
{
    public static CornerRadii All(int radius) => new(radius, radius, radius, radius);
    public bool IsNone => TopLeft == 0 && TopRight == 0 && BottomRight == 0 && BottomLeft == 0;
    public bool IsUniform => TopLeft == TopRight && TopLeft == BottomRight && TopLeft == BottomLeft;
}

/// <summary>Two colours in the order the parameter gives them (duotone: shadows then highlights; gradients: start then end).</summary>
public readonly record struct ColorPair(Rgba First, Rgba Second);

/// <summary>imgix adjustment parameters (imgix's "Adjustment" and "Noise reduction" groups); zero means "leave alone".</summary>
public sealed record Adjustments
{
    public static readonly Adjustments None = new();

    /// <summary>Default <c>usmrad</c>.</summary>
    public const double DefaultUnsharpRadius = 2.5;

    /// <summary><c>bri</c> −100…100.</summary>
    public int Brightness { get; init; }
    /// <summary><c>con</c> −100…100.</summary>
    public int Contrast { get; init; }
    /// <summary><c>exp</c> −100…100 (±100 = ±2 stops).</summary>
    public int Exposure { get; init; }
    /// <summary><c>gam</c> −100…100.</summary>
    public int Gamma { get; init; }
    /// <summary><c>high</c> −100…0 (darkens highlights).</summary>
    public int Highlights { get; init; }
    /// <summary><c>shad</c> 0…100 (lifts shadows).</summary>
    public double Shadows { get; init; }
    /// <summary><c>sat</c> −100…100 (−100 = grey).</summary>
    public int Saturation { get; init; }
    /// <summary><c>vib</c> −100…100 (saturation weighted towards dull colours).</summary>
    public int Vibrance { get; init; }
    /// <summary><c>hue</c> in degrees, normalised to 0…359.</summary>
    public int Hue { get; init; }
    /// <summary><c>invert</c>.</summary>
    public bool Invert { get; init; }
    /// <summary><c>usm</c> −100…100 (negative softens).</summary>
    public int UnsharpMask { get; init; }
    /// <summary><c>usmrad</c> 0…500; only with <see cref="UnsharpMask"/>.</summary>
    public double UnsharpRadius { get; init; } = DefaultUnsharpRadius;
    /// <summary><c>nr</c> −100…100; null = no noise reduction (our choice: imgix's default of 20 is not applied to every image).</summary>
    public int? NoiseReduction { get; init; }
    /// <summary><c>nrs</c> −100…100: the edge threshold that noise reduction keeps sharp; null = 20.</summary>
    public int? NoiseSharpen { get; init; }
}

/// <summary>imgix stylize parameters other than blur (imgix's "Stylize" group).</summary>
public sealed record Stylize
{
    public static readonly Stylize None = new();

    /// <summary><c>monochrome</c>: tint colour (its alpha is the strength); null = off.</summary>
    public Rgba? Monochrome { get; init; }
    /// <summary><c>sepia</c> 0…100.</summary>
    public int Sepia { get; init; }
    /// <summary><c>duotone</c>: shadows colour, highlights colour; null = off.</summary>
    public ColorPair? Duotone { get; init; }
    /// <summary><c>duotone-alpha</c> 0…100 (100 = the duotone replaces the image).</summary>
    public int DuotoneAlpha { get; init; } = 100;
    /// <summary><c>htn</c> 0…100: halftone dot cell size grows with the value.</summary>
    public int Halftone { get; init; }
    /// <summary><c>px</c> 0…100: block size in output pixels.</summary>
    public int Pixelate { get; init; }
}

/// <summary>imgix <c>border</c> and its companions (imgix's "Border &amp; padding" group).</summary>
public sealed record BorderSpec
{
    public static readonly BorderSpec None = new();

    /// <summary>Width per side in output pixels (<c>border</c> sets all four; <c>border-top</c>… override one).</summary>
    public Padding Width { get; init; }
    /// <summary>Border colour; null = no <c>border</c> given, so nothing is drawn (the side parameters depend on it).</summary>
    public Rgba? Color { get; init; }
    /// <summary><c>border-radius</c>: outer corner radii.</summary>
    public CornerRadii OuterRadius { get; init; }
    /// <summary><c>border-radius-inner</c>: radii of the picture's corners inside the border.</summary>
    public CornerRadii InnerRadius { get; init; }
    /// <summary><c>border-stroke-color</c>; null = the imgix default (transparent black, i.e. no visible stroke).</summary>
    public Rgba? StrokeColor { get; init; }
    /// <summary><c>border-stroke-size</c> 0…100: a line of this width drawn just inside the outer edge.</summary>
    public int StrokeSize { get; init; }

    public bool IsDrawn => Color is not null && (!Width.IsNone || StrokeSize > 0 || !OuterRadius.IsNone);
}

/// <summary>Where an overlay image (mask today; mark and blend in part 2) comes from.</summary>
public enum ImageReferenceKind
{
    /// <summary>An object key in the same source as the original (fetched through the same origin, limits and guards).</summary>
    SourcePath,
    /// <summary>An absolute http(s) URL; the source must list its host (sources.json <c>overlayHosts</c>).</summary>
    Url,
}

/// <summary>A reference to another image: a path in the same source (without its leading '/') or an absolute URL.</summary>
public sealed record ImageReference(ImageReferenceKind Kind, string Location)
{
    /// <summary>Canonical query text (percent-encoded, with the path's leading '/').</summary>
    public string ToQueryText() => QueryText.Encode(Kind == ImageReferenceKind.SourcePath ? "/" + Location : Location);
}

/// <summary>imgix <c>mask</c> shapes.</summary>
public enum MaskKind { None, Ellipse, Corners, Image }

/// <summary>imgix <c>mask</c>, <c>corner-radius</c> and <c>mask-bg</c>.</summary>
public sealed record MaskSpec
{
    public static readonly MaskSpec None = new();

    /// <summary>Default <c>corner-radius</c> for <c>mask=corners</c> when none is given (our choice; imgix is silent).</summary>
    public const int DefaultCornerRadius = 10;

    public MaskKind Kind { get; init; }
    /// <summary>The mask image for <see cref="MaskKind.Image"/> (its alpha, or its luminance when it has none, is the mask).</summary>
    public ImageReference? Image { get; init; }
    /// <summary><c>corner-radius</c> for <see cref="MaskKind.Corners"/>; null = <see cref="DefaultCornerRadius"/>.</summary>
    public CornerRadii? CornerRadius { get; init; }
    /// <summary><c>mask-bg</c>: colour of the masked-out area; null = transparent (or white when the format has no alpha).</summary>
    public Rgba? Background { get; init; }
}

/// <summary>imgix <c>trim</c> modes.</summary>
public enum TrimMode { None, Auto, Color, Alpha, ColorUnlessAlpha }

/// <summary>imgix <c>trim</c> and its companions (imgix's "Trim" group).</summary>
public sealed record TrimSpec
{
    public static readonly TrimSpec None = new();

    public const double DefaultMeanDifference = 11;
    public const double DefaultStandardDeviation = 10;

    public TrimMode Mode { get; init; }
    /// <summary><c>trim-color</c>: the frame colour for trim=color; null = the top-left pixel.</summary>
    public Rgba? Color { get; init; }
    /// <summary><c>trim-md</c>: largest mean difference from the frame colour that still counts as frame (trim=auto).</summary>
    public double MeanDifference { get; init; } = DefaultMeanDifference;
    /// <summary><c>trim-sd</c>: largest standard deviation of an edge line that still counts as uniform (trim=auto).</summary>
    public double StandardDeviation { get; init; } = DefaultStandardDeviation;
    /// <summary><c>trim-tol</c>: per-channel tolerance around the frame colour (trim=color).</summary>
    public double Tolerance { get; init; }
    /// <summary><c>trim-alpha</c>: alpha at or below which a pixel is frame (trim=alpha); null = 0.</summary>
    public double? Alpha { get; init; }
    /// <summary><c>trim-pad</c> −200…200: pixels kept (or removed, when negative) around the trimmed box.</summary>
    public int Pad { get; init; }
}

/// <summary>imgix <c>fill-gradient-type</c>.</summary>
public enum GradientType { Linear, Radial }

/// <summary>imgix <c>fill-gradient-cs</c>: the space colours are interpolated in.</summary>
public enum GradientColorSpace { Srgb, Linear, Oklab, Hsl, Lch }

/// <summary>A side of the image, for gradient directions.</summary>
public enum Side { Top, Right, Bottom, Left }

/// <summary>imgix <c>fill=gradient</c> settings (imgix's "Fill" group).</summary>
public sealed record GradientSpec
{
    public static readonly GradientSpec Default = new();

    public GradientType Type { get; init; }
    public GradientColorSpace ColorSpace { get; init; }
    /// <summary><c>fill-gradient-linear</c>: start and end colours; null = fill colour to transparent/white (our choice).</summary>
    public ColorPair? Linear { get; init; }
    /// <summary><c>fill-gradient-linear-direction</c>: the gradient flows from <see cref="From"/> towards <see cref="To"/>.</summary>
    public Side From { get; init; } = Side.Top;
    public Side To { get; init; } = Side.Bottom;
    /// <summary><c>fill-gradient-radial</c>: centre and outer colours; null = as for linear.</summary>
    public ColorPair? Radial { get; init; }
    /// <summary><c>fill-gradient-radial-radius</c>: where the centre colour ends and the outer colour starts (px or fraction of the smaller side).</summary>
    public SizeValue InnerRadius { get; init; } = SizeValue.Fraction(0.25);
    public SizeValue OuterRadius { get; init; } = SizeValue.Fraction(0.5);
    /// <summary><c>fill-gradient-radial-x</c>/<c>-y</c>: centre, px or fraction of the canvas.</summary>
    public SizeValue CenterX { get; init; } = SizeValue.Fraction(0.5);
    public SizeValue CenterY { get; init; } = SizeValue.Fraction(0.5);
}

/// <summary>Encoder options beyond fm/q/lossless (imgix's "Format" group).</summary>
public sealed record EncodingOptions
{
    public static readonly EncodingOptions Default = new();

    /// <summary><c>fm=png8</c>: a palette PNG.</summary>
    public bool Palette { get; init; }
    /// <summary><c>colorquant</c> 2…256: at most this many colours (palette PNG; GIF); null = 256 for png8.</summary>
    public int? ColorQuant { get; init; }
    /// <summary><c>chromasub</c> 444, 422 or 420 (JPEG; AVIF and WebP as far as their savers allow); null = the encoder default (420).</summary>
    public int? ChromaSubsampling { get; init; }
    /// <summary><c>dpi</c> 1…10000: written to the output's resolution fields; null = none.</summary>
    public int? Dpi { get; init; }
    /// <summary><c>cs</c>: the output's colour space and the ICC profile embedded in it.</summary>
    public OutputColorSpace ColorSpace { get; init; }
    /// <summary><c>iptc=allow</c>: a JPEG output keeps the source's IPTC block (default block: stripped).</summary>
    public bool KeepIptc { get; init; }
}

/// <summary>imgix <c>cs</c>. Pixels are sRGB through the whole pipeline; this decides the space and profile of the output.</summary>
public enum OutputColorSpace
{
    /// <summary>No <c>cs</c>: sRGB pixels, no profile (the same bytes as <see cref="Strip"/>; browsers read it as sRGB).</summary>
    Default,
    /// <summary>sRGB pixels, no profile.</summary>
    Strip,
    /// <summary>sRGB pixels with libvips' full sRGB profile embedded.</summary>
    Srgb,
    /// <summary>sRGB pixels with a compact (under 600 bytes) matrix/curve sRGB profile embedded.</summary>
    TinySrgb,
    /// <summary>Pixels converted to Adobe RGB (1998) with a matching profile embedded.</summary>
    AdobeRgb1998,
    /// <summary>The source's own RGB or grey profile: pixels stay in the source's space and the profile is embedded.</summary>
    Origin,
}

/// <summary>imgix <c>rot-type</c>.</summary>
public enum RotationType
{
    /// <summary>imgix's default: rotate and crop to the largest upright rectangle of the original aspect ratio, so no empty corners.</summary>
    Straighten,
    /// <summary>Rotate about the centre and enlarge the canvas to hold the whole picture (corners filled with bg).</summary>
    Pivot,
}
