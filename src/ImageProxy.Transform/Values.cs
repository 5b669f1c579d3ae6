namespace ImageProxy.Transform;

/// <summary>A colour with straight (non-premultiplied) alpha; imgix hex forms are ARGB.</summary>
public readonly record struct Rgba(byte R, byte G, byte B, byte A)
{
    public static readonly Rgba White = new(255, 255, 255, 255);
    public static readonly Rgba TransparentWhite = new(255, 255, 255, 0);
    public bool IsOpaque => A == 255;
    /// <summary>Canonical text: 8 hex digits AARRGGBB, lower case (the imgix order, alpha first).</summary>
    public override string ToString() => $"{A:x2}{R:x2}{G:x2}{B:x2}";
}

/// <summary>A <c>w</c> or <c>h</c> value: whole pixels, or a fraction (0–1] of the source dimension.</summary>
public readonly record struct SizeValue(double Value, SizeUnit Unit)
{
    public static SizeValue Pixels(int px) => new(px, SizeUnit.Pixels);
    public static SizeValue Fraction(double f) => new(f, SizeUnit.Fraction);
}

/// <summary>One item of <c>rect=x,y,w,h</c>.</summary>
public readonly record struct RectValue(double Value, RectUnit Unit);

/// <summary>imgix <c>rect</c>: a source region selected before any resize.</summary>
public sealed record RectSpec(RectValue X, RectValue Y, RectValue Width, RectValue Height);

/// <summary>Crop placement: anchors are -1 (left/top), 0 (centre), +1 (right/bottom).</summary>
public sealed record CropSpec(int Horizontal, int Vertical, CropStrategy Strategy)
{
    public static readonly CropSpec Center = new(0, 0, CropStrategy.Position);

    /// <summary><c>crop=faces</c>: centre on the detected faces; the other values apply when there is none.</summary>
    public bool Faces { get; init; }
}

/// <summary>Focal point for crop=focalpoint: fractions of the image, zoom ≥ 1.</summary>
public sealed record FocalPoint(double X, double Y, double Zoom)
{
    public static readonly FocalPoint Center = new(0.5, 0.5, 1);
}

/// <summary>Padding in output pixels per side.</summary>
public readonly record struct Padding(int Top, int Right, int Bottom, int Left)
{
    public static readonly Padding None = default;
    public bool IsNone => Top == 0 && Right == 0 && Bottom == 0 && Left == 0;
}

/// <summary>An integer rectangle.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height);
