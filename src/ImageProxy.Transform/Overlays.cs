namespace ImageProxy.Transform;

/// <summary>How an overlay image (watermark, blend image) is sized into its box (imgix <c>mark-fit</c>, <c>blend-fit</c>).</summary>
public enum OverlayFit
{
    /// <summary>Inside the box, keeping the aspect ratio; may enlarge (imgix's default).</summary>
    Clip,
    /// <summary>Fills the box, keeping the aspect ratio, and crops what is outside.</summary>
    Crop,
    /// <summary>As clip, then centred on a transparent box of exactly the asked size (mark-fit only).</summary>
    Fill,
    /// <summary>As clip, never enlarging.</summary>
    Max,
    /// <summary>Stretched to exactly the box.</summary>
    Scale,
    /// <summary>As clip, then its edge pixels extended to exactly the box (blend-fit only).</summary>
    Clamp,
}

/// <summary><c>mark</c> and the <c>mark-*</c> parameters (imgix-reference §2 "Watermark").</summary>
public sealed record WatermarkSpec
{
    public static readonly WatermarkSpec None = new();

    /// <summary>imgix's documented default distance from the edges (mark-pad).</summary>
    public const int DefaultPad = 5;

    /// <summary><c>mark</c>: the watermark image; null = no watermark (every other mark-* is then dropped).</summary>
    public ImageReference? Image { get; init; }
    /// <summary><c>mark-base</c>: a URL or path that a relative <c>mark</c> is resolved against.</summary>
    public ImageReference? Base { get; init; }
    public OverlayFit Fit { get; init; } = OverlayFit.Clip;
    /// <summary><c>mark-w</c>/<c>mark-h</c>: pixels, or fractions of the picture's width/height.</summary>
    public SizeValue? Width { get; init; }
    public SizeValue? Height { get; init; }
    /// <summary><c>mark-scale</c> 0–100: the watermark fits in this percentage of the picture (wins over mark-w/mark-h).</summary>
    public int? Scale { get; init; }
    public HorizontalAnchor Horizontal { get; init; } = HorizontalAnchor.Right;
    public VerticalAnchor Vertical { get; init; } = VerticalAnchor.Bottom;
    public int Pad { get; init; } = DefaultPad;
    /// <summary><c>mark-x</c>/<c>mark-y</c>: offset of the watermark's top-left corner from the picture's; replaces that axis' alignment.</summary>
    public int? X { get; init; }
    public int? Y { get; init; }
    /// <summary><c>mark-alpha</c> 0–100: multiplies the watermark's own alpha.</summary>
    public int Alpha { get; init; } = 100;
    /// <summary><c>mark-rot</c>: degrees clockwise, applied to the sized watermark (and to each tile).</summary>
    public double Rotation { get; init; }
    /// <summary><c>mark-tile=grid</c>: the watermark repeats over the whole picture.</summary>
    public bool Tile { get; init; }
    /// <summary><c>mark-if-min-width</c>/<c>-height</c>: drawn only when the rendered picture is at least this large.</summary>
    public int? IfMinWidth { get; init; }
    public int? IfMinHeight { get; init; }

    /// <summary>The image to fetch: <c>mark</c>, resolved against <c>mark-base</c> when it is a path.</summary>
    public ImageReference? Effective => Image is null || Base is null || Image.Kind == ImageReferenceKind.Url
        ? Image
        : new ImageReference(Base.Kind, Base.Location.TrimEnd('/') + "/" + Image.Location);
}

/// <summary>imgix <c>blend-mode</c> values.</summary>
public enum BlendMode
{
    Normal, Multiply, Screen, Overlay, Darken, Lighten, Dodge, Burn, HardLight, SoftLight, Difference, Exclusion,
    Hue, Saturation, Color, Luminosity,
}

/// <summary><c>blend</c> and the <c>blend-*</c> parameters (imgix-reference §2 "Blending").</summary>
public sealed record BlendSpec
{
    public static readonly BlendSpec None = new();

    /// <summary><c>blend</c> as an image (path or URL); wins over a colour.</summary>
    public ImageReference? Image { get; init; }
    /// <summary><c>blend</c> as a colour, or <c>blend-color</c> (which wins when both are colours).</summary>
    public Rgba? Color { get; init; }
    public BlendMode Mode { get; init; } = BlendMode.Overlay;
    /// <summary><c>blend-alpha</c> 0–100: the layer's opacity.</summary>
    public int Alpha { get; init; } = 100;
    public HorizontalAnchor Horizontal { get; init; } = HorizontalAnchor.Left;
    public VerticalAnchor Vertical { get; init; } = VerticalAnchor.Top;
    public OverlayFit Fit { get; init; } = OverlayFit.Clip;
    public SizeValue? Width { get; init; }
    public SizeValue? Height { get; init; }
    public int? X { get; init; }
    public int? Y { get; init; }
    public int Pad { get; init; }
    /// <summary><c>blend-crop</c>: anchors for blend-fit=crop, -1/0/+1 as <see cref="CropSpec"/> (faces reads as centre).</summary>
    public int CropHorizontal { get; init; }
    public int CropVertical { get; init; }
    /// <summary><c>blend-size=inherit</c>: the blend image's box is the whole picture.</summary>
    public bool Inherit { get; init; }

    public bool IsActive => Image is not null || Color is not null;
}
