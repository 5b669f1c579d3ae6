using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Step 5 of the order: place the picture at (PictureX, PictureY) on a CanvasWidth×CanvasHeight canvas, filled with a
/// solid colour, a blurred cover copy of the picture, or the picture's own edges. A no-op when canvas = picture.
/// </summary>
internal static class Canvas
{
    public static VipsImage Apply(VipsImage image, ResolvedGeometry g, Rgba color, bool outputHasAlpha)
    {
        if (g.CanvasWidth <= 0 || g.CanvasHeight <= 0 ||
            (g.CanvasWidth == image.Width && g.CanvasHeight == image.Height && g.PictureX == 0 && g.PictureY == 0))
        {
            return image;
        }

        return g.CanvasFill switch
        {
            CanvasFill.ExtendEdges => ExtendEdges(image, g),
            CanvasFill.Blur => BlurredCover(image, g),
            _ => Solid(image, g.PictureX, g.PictureY, g.CanvasWidth, g.CanvasHeight, color, outputHasAlpha),
        };
    }

    /// <summary>Embeds on a solid colour (shared with the pad step).</summary>
    public static VipsImage Solid(VipsImage image, int x, int y, int width, int height, Rgba color, bool outputHasAlpha)
    {
        var prepared = BandColors.Prepare(image, color, outputHasAlpha);
        try
        {
            return prepared.Embed(x, y, width, height, Enums.Extend.Background, BandColors.For(prepared, color));
        }
        finally
        {
            if (!ReferenceEquals(prepared, image))
            {
                prepared.Dispose();
            }
        }
    }

    private static VipsImage ExtendEdges(VipsImage image, ResolvedGeometry g)
    {
        // embed's extend=copy reaches back to the edge rows; keep it off the one-shot sequential pipeline (docs/libvips.md §1).
        using var memory = Materialize.Apply(image);
        return memory.Embed(g.PictureX, g.PictureY, g.CanvasWidth, g.CanvasHeight, Enums.Extend.Copy);
    }

    private static VipsImage BlurredCover(VipsImage image, ResolvedGeometry g)
    {
        // The picture is read twice (background and foreground): materialise it first (docs/libvips.md §1).
        using var picture = Materialize.Apply(image);
        var scale = Math.Max((double)g.CanvasWidth / picture.Width, (double)g.CanvasHeight / picture.Height);
        using var cover = picture.Resize(scale, vscale: scale);
        var left = Math.Max(0, (cover.Width - g.CanvasWidth) / 2);
        var top = Math.Max(0, (cover.Height - g.CanvasHeight) / 2);
        using var window = cover.ExtractArea(left, top, Math.Min(g.CanvasWidth, cover.Width), Math.Min(g.CanvasHeight, cover.Height));
        var sized = Resize.ToSize(window, g.CanvasWidth, g.CanvasHeight);
        try
        {
            var sigma = Math.Clamp(Math.Max(g.CanvasWidth, g.CanvasHeight) / 40.0, 2, 50);
            using var blurred = sized.Gaussblur(sigma);
            return blurred.Insert(picture, g.PictureX, g.PictureY);
        }
        finally
        {
            if (!ReferenceEquals(sized, window))
            {
                sized.Dispose();
            }
        }
    }
}
