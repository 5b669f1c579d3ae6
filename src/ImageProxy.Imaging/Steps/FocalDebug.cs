using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// fp-debug: draws the crop box (the picture's area on the output, i.e. the window the crop kept) as a 1-px outline and
/// the focal point as a crosshair with a ring, in magenta over a white halo so it shows on any picture.
/// </summary>
internal static class FocalDebug
{
    public static VipsImage Apply(VipsImage image, TransformPlan plan, ResolvedGeometry g, Padding outerPad)
    {
        if (!plan.FocalPointDebug)
        {
            return image;
        }

        var (x, y) = FocalPointOnOutput(plan.Focal, g, outerPad);
        var pictureX = outerPad.Left + g.PictureX;
        var pictureY = outerPad.Top + g.PictureY;
        var pictureW = g.Crop?.Width ?? g.ScaledWidth;
        var pictureH = g.Crop?.Height ?? g.ScaledHeight;
        var arm = Math.Max(6, Math.Min(image.Width, image.Height) / 12);
        string Marks(string color, double width) =>
            $"<rect x=\"{pictureX + 0.5}\" y=\"{pictureY + 0.5}\" width=\"{pictureW - 1}\" height=\"{pictureH - 1}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"/>" +
            // Lines on pixel centres (+0.5) so a 1-px line covers exactly one pixel.
            $"<path d=\"M{x - arm},{y + 0.5} H{x + arm + 1} M{x + 0.5},{y - arm} V{y + arm + 1}\" stroke=\"{color}\" stroke-width=\"{width}\"/>" +
            $"<circle cx=\"{x + 0.5}\" cy=\"{y + 0.5}\" r=\"{arm / 2}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"/>";
        using var marks = Shapes.Render(image.Width, image.Height, Marks("#ffffff", 3) + Marks("#ff00ff", 1));
        using var rgba = Shapes.WithAlpha(image);
        using var drawn = rgba.CompositeOver(marks);
        return Bands.ToUChar(drawn);
    }

    /// <summary>Follows fp-x/fp-y (fractions of the oriented source) through region, resize, crop, canvas and padding.</summary>
    internal static (int X, int Y) FocalPointOnOutput(FocalPoint focal, ResolvedGeometry g, Padding outerPad)
    {
        var region = g.Region ?? new PixelRect(0, 0, g.SourceWidth, g.SourceHeight);
        var sx = ((focal.X * g.SourceWidth) - region.X) * g.ScaledWidth / Math.Max(region.Width, 1);
        var sy = ((focal.Y * g.SourceHeight) - region.Y) * g.ScaledHeight / Math.Max(region.Height, 1);
        var cx = sx - (g.Crop?.X ?? 0) + g.PictureX + outerPad.Left;
        var cy = sy - (g.Crop?.Y ?? 0) + g.PictureY + outerPad.Top;
        return ((int)Math.Round(cx), (int)Math.Round(cy));
    }
}
