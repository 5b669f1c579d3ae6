namespace ImageProxy.Transform;

/// <summary>
/// What a header read of the source tells, before any pixel is decoded.
/// <paramref name="Width"/>/<paramref name="Height"/> are as stored (before EXIF orientation).
/// </summary>
public sealed record SourceFacts(int Width, int Height, int Orientation, int Pages, ImageFormat Format, bool HasAlpha)
{
    /// <summary>True when the EXIF orientation (5–8) swaps width and height on display.</summary>
    public static bool SwapsAxes(int orientation) => orientation is >= 5 and <= 8;
}
