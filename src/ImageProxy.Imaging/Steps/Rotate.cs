using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Step 7 of the order, last: turn by the plan's rot, clockwise. Multiples of 90° are exact (rot); other angles go through
/// rotate, which grows the canvas and fills the corners with the background colour.
/// </summary>
internal static class Rotate
{
    public static VipsImage Apply(VipsImage image, double degrees, Rgba color, bool outputHasAlpha, RotationType type = RotationType.Pivot)
    {
        var angle = ((degrees % 360) + 360) % 360;
        if (angle == 0)
        {
            return image;
        }

        // Both rot and rotate read the picture out of order: never on the one-shot sequential pipeline (docs/libvips.md §1).
        using var memory = Materialize.Apply(image);
        switch (angle)
        {
            case 90:
                return memory.Rot(Enums.Angle.D90);
            case 180:
                return memory.Rot(Enums.Angle.D180);
            case 270:
                return memory.Rot(Enums.Angle.D270);
        }

        var prepared = BandColors.Prepare(memory, color, outputHasAlpha);
        try
        {
            if (type == RotationType.Straighten)
            {
                return Straighten(prepared, angle);
            }

            return prepared.Rotate(angle, background: BandColors.For(prepared, color));
        }
        finally
        {
            if (!ReferenceEquals(prepared, memory))
            {
                prepared.Dispose();
            }
        }
    }

    /// <summary>
    /// rot-type=straighten: the largest centred rectangle of the picture's aspect ratio that the turned picture covers,
    /// enlarged back to the picture's size, so the output keeps its size and has no empty corners.
    /// </summary>
    private static VipsImage Straighten(VipsImage image, double angle)
    {
        var (w, h) = (image.Width, image.Height);
        var radians = angle * Math.PI / 180;
        var (c, s) = (Math.Abs(Math.Cos(radians)), Math.Abs(Math.Sin(radians)));
        var k = Math.Min(w / ((w * c) + (h * s)), h / ((w * s) + (h * c)));
        using var turned = image.Rotate(angle, background: BandColors.For(image, Rgba.White));
        var innerW = Math.Max(1, (int)Math.Floor(w * k));
        var innerH = Math.Max(1, (int)Math.Floor(h * k));
        using var inner = turned.ExtractArea((turned.Width - innerW) / 2, (turned.Height - innerH) / 2, innerW, innerH);
        return Resize.Exactly(inner, w, h) is var sized && ReferenceEquals(sized, inner) ? inner.Copy() : sized;
    }
}
