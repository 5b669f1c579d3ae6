namespace ImageProxy.Transform;

/// <summary>
/// The pixel plan for one image, computed by <see cref="Geometry.Resolve"/> from a plan and the source's facts.
/// The executor applies it in this fixed order, skipping steps that do nothing:
/// <list type="number">
/// <item>orient: apply <see cref="Orientation"/> (EXIF semantics 1–8) → image is <see cref="SourceWidth"/>×<see cref="SourceHeight"/>; then <see cref="Flip"/>;</item>
/// <item>region: extract <see cref="Region"/> (oriented source pixels; null = whole image);</item>
/// <item>resize: scale the region to exactly <see cref="ScaledWidth"/>×<see cref="ScaledHeight"/> (may be non-uniform for fit=scale);</item>
/// <item>crop: extract <see cref="Crop"/> from the scaled image (null = none); when <see cref="SmartCrop"/> is Entropy/Edges
///       the executor picks the position itself (libvips smartcrop) and uses only the crop's size;</item>
/// <item>canvas: place the picture at (<see cref="PictureX"/>, <see cref="PictureY"/>) on a <see cref="CanvasWidth"/>×<see cref="CanvasHeight"/>
///       canvas filled per <see cref="CanvasFill"/> (no-op when the canvas equals the picture);</item>
/// <item>pad: add <see cref="Pad"/> around the canvas, coloured with bg;</item>
/// <item>rotate by <see cref="Rotation"/> degrees (the plan's rot); <see cref="OutputWidth"/>/<see cref="OutputHeight"/> are the size after pad and before rotation.</item>
/// </list>
/// </summary>
public sealed record ResolvedGeometry
{
    public int Orientation { get; init; } = 1;
    public FlipMode Flip { get; init; }
    public int SourceWidth { get; init; }
    public int SourceHeight { get; init; }
    public PixelRect? Region { get; init; }
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
    public double Rotation { get; init; }
    public int OutputWidth { get; init; }
    public int OutputHeight { get; init; }
}

/// <summary>What fills canvas space not covered by the picture.</summary>
public enum CanvasFill { Solid, Blur, ExtendEdges, Gradient }
