using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// mark: the watermark image, sized (mark-w, mark-h, mark-fit, or mark-scale as a share of the picture), faded by
/// mark-alpha, turned by mark-rot, then composited once at mark-align/mark-pad (or mark-x/mark-y), or repeated over the
/// whole picture from the top-left corner with mark-tile=grid (mark-pad apart).
/// </summary>
internal static class Watermark
{
    public static VipsImage Apply(VipsImage image, WatermarkSpec mark, byte[]? bytes)
    {
        if (mark.Image is null || image.Width < (mark.IfMinWidth ?? 0) || image.Height < (mark.IfMinHeight ?? 0))
        {
            return image;
        }

        if (bytes is null)
        {
            throw new ImagingException(TransformError.Unprocessable("mark: the image was not fetched"));
        }

        var (fit, width, height) = mark.Scale is { } percent
            // mark-scale: fits in that share of the picture's width and height (at least a pixel).
            ? (OverlayFit.Clip, SizeValue.Pixels(Math.Max(1, image.Width * percent / 100)), SizeValue.Pixels(Math.Max(1, image.Height * percent / 100)))
            : (mark.Fit, mark.Width, mark.Height);
        using var sized = Overlay.Load(bytes, image.Width, image.Height, fit, width, height);
        using var faded = Overlay.Fade(sized, mark.Alpha);
        using var turned = Overlay.Rotated(faded, mark.Rotation);
        if (mark.Tile)
        {
            using var grid = Tiles(turned, mark.Pad, image.Width, image.Height);
            return Overlay.Composite(image, grid, 0, 0);
        }

        var x = Overlay.Place(image.Width, turned.Width, Overlay.Anchor(mark.Horizontal), mark.Pad, mark.X);
        var y = Overlay.Place(image.Height, turned.Height, Overlay.Anchor(mark.Vertical), mark.Pad, mark.Y);
        return Overlay.Composite(image, turned, x, y);
    }

    /// <summary>The watermark repeated in a grid, <paramref name="gap"/> pixels apart, cut to the picture's size.</summary>
    private static VipsImage Tiles(VipsImage mark, int gap, int width, int height)
    {
        using var cell = mark.Embed(0, 0, mark.Width + gap, mark.Height + gap, extend: Enums.Extend.Background, background: [0, 0, 0, 0]);
        using var repeated = cell.Replicate((width + cell.Width - 1) / cell.Width, (height + cell.Height - 1) / cell.Height);
        return repeated.ExtractArea(0, 0, width, height);
    }
}
