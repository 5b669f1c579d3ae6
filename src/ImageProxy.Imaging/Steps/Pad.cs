using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>Step 6 of the order: add the plan's padding around the canvas, in the background colour.</summary>
internal static class Pad
{
    public static VipsImage Apply(VipsImage image, Padding pad, Rgba color, bool outputHasAlpha)
    {
        if (pad.IsNone)
        {
            return image;
        }

        return Canvas.Solid(image, pad.Left, pad.Top, image.Width + pad.Left + pad.Right, image.Height + pad.Top + pad.Bottom, color, outputHasAlpha);
    }
}
