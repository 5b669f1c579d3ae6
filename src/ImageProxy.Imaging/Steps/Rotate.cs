using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Step 7 of the order, last: turn by the plan's rot, clockwise. Multiples of 90° are exact (rot); other angles go through
/// rotate, which grows the canvas and fills the corners with the background colour.
/// </summary>
internal static class Rotate
{
    public static VipsImage Apply(VipsImage image, double degrees, Rgba colour, bool outputHasAlpha)
    {
        var angle = ((degrees % 360) + 360) % 360;
        if (angle == 0)
        {
            return image;
        }

        // Both rot and rotate read the picture out of order: never on the one-shot sequential pipeline (pitfall 1).
        using var memory = Materialize.Run(image);
        switch (angle)
        {
            case 90:
                return memory.Rot(Enums.Angle.D90);
            case 180:
                return memory.Rot(Enums.Angle.D180);
            case 270:
                return memory.Rot(Enums.Angle.D270);
        }

        var prepared = Colours.Prepare(memory, colour, outputHasAlpha);
        try
        {
            return prepared.Rotate(angle, background: Colours.For(prepared, colour));
        }
        finally
        {
            if (!ReferenceEquals(prepared, memory))
            {
                prepared.Dispose();
            }
        }
    }
}
