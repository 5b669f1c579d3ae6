using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// border=W,C with per-side widths, border-radius (outer corners), border-radius-inner (the picture's corners inside the
/// border) and a stroke (border-stroke-size/-color) just inside the outer edge. The border is added outside the picture;
/// the geometry already made room for it (like pad), so w×h still bounds the output.
/// </summary>
internal static class Border
{
    public static VipsImage Apply(VipsImage image, BorderSpec border)
    {
        if (!border.IsDrawn || border.Color is not { } color)
        {
            return image;
        }

        var w = border.Width;
        var width = image.Width + w.Left + w.Right;
        var height = image.Height + w.Top + w.Bottom;
        if (!image.HasAlpha() && border.InnerRadius.IsNone && border.OuterRadius.IsNone && border.StrokeSize == 0)
        {
            // A plain frame around an opaque picture is just an embed: no shapes to draw, nothing to composite.
            return Canvas.Solid(image, w.Left, w.Top, width, height, color, outputHasAlpha: !color.IsOpaque);
        }

        using var picture = border.InnerRadius.IsNone
            ? Shapes.WithAlpha(image)
            : Rounded(image, border.InnerRadius);
        // The border is a ring: colour everywhere except a hole the shape of the (inner-rounded) picture, so what the
        // picture leaves transparent (a mask) stays transparent, while rounded inner corners show border colour.
        using var solid = Shapes.Solid(width, height, color);
        using var hole = Shapes.Mask(width, height, Shapes.RoundedRect(w.Left, w.Top, image.Width, image.Height, border.InnerRadius));
        using var ring = hole.Linear([-1], [255], uchar: true);
        using var canvas = Shapes.ApplyAlpha(solid, ring);
        using var framed = canvas.CompositeOver(picture, w.Left, w.Top);
        var result = Bands.ToUChar(framed);

        if (border.StrokeSize > 0 && border.StrokeColor is { A: > 0 } stroke)
        {
            var half = border.StrokeSize / 2.0;
            var radii = border.OuterRadius;
            var inset = new CornerRadii(Inset(radii.TopLeft), Inset(radii.TopRight), Inset(radii.BottomRight), Inset(radii.BottomLeft));
            var path = Shapes.RoundedRect(half, half, width - border.StrokeSize, height - border.StrokeSize, inset);
            using var line = Shapes.Render(width, height,
                $"<path d=\"{path}\" fill=\"none\" stroke=\"{Shapes.Hex(stroke)}\" stroke-opacity=\"{Shapes.Opacity(stroke)}\" stroke-width=\"{border.StrokeSize}\"/>");
            var unstroked = result;
            using (unstroked)
            {
                using var stroked = unstroked.CompositeOver(line);
                result = Bands.ToUChar(stroked);
            }

            int Inset(int r) => (int)Math.Max(0, r - half);
        }

        if (!border.OuterRadius.IsNone)
        {
            var square = result;
            using (square)
            {
                using var outer = Shapes.Mask(width, height, Shapes.RoundedRect(0, 0, width, height, border.OuterRadius));
                result = Shapes.ApplyAlpha(square, outer);
            }
        }

        return result;
    }

    private static VipsImage Rounded(VipsImage image, CornerRadii radii)
    {
        using var mask = Shapes.Mask(image.Width, image.Height, Shapes.RoundedRect(0, 0, image.Width, image.Height, radii));
        return Shapes.ApplyAlpha(image, mask);
    }
}
