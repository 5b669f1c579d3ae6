namespace ImageProxy.Transform;

/// <summary>Intermediate result of one layout pass, in rect-cropped picture coordinates.</summary>
internal sealed record GeometryLayout
{
    public PixelRect? Window { get; init; }
    public int ScaledWidth { get; init; }
    public int ScaledHeight { get; init; }
    public PixelRect? Crop { get; init; }
    public CropStrategy SmartCrop { get; init; } = CropStrategy.Position;
    public int CanvasWidth { get; init; }
    public int CanvasHeight { get; init; }
    public int PictureX { get; init; }
    public int PictureY { get; init; }
    public CanvasFill CanvasFill { get; init; } = CanvasFill.Solid;
    public Padding Pad { get; init; }
    public int OutputWidth => CanvasWidth + Pad.Left + Pad.Right;
    public int OutputHeight => CanvasHeight + Pad.Top + Pad.Bottom;

    /// <summary>The picture as it is: no region, no resize, canvas = picture.</summary>
    public static GeometryLayout Plain(int width, int height, Padding pad) => new()
    {
        ScaledWidth = width,
        ScaledHeight = height,
        CanvasWidth = width,
        CanvasHeight = height,
        Pad = pad,
    };

    public GeometryLayout WithCanvasAsPicture() => this with { CanvasWidth = ScaledWidth, CanvasHeight = ScaledHeight };
}
