using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>Before encoding: when the output format cannot carry alpha (JPEG), composite the picture onto bg (default white).</summary>
internal static class Flatten
{
    public static VipsImage Apply(VipsImage image, ImageFormat output, Rgba? background)
    {
        if (output.CarriesAlpha() || !image.HasAlpha)
        {
            return image;
        }

        var bg = background ?? Rgba.White;
        var flat = image.Flatten(Colours.For(image.Bands - 1, bg with { A = 255 }));
        try
        {
            // flatten can widen the band format; savers want uchar.
            return flat.BandFormat == Interpretation.UChar ? flat : Decode.Replace(flat, flat.Cast("uchar"));
        }
        catch
        {
            flat.Dispose();
            throw;
        }
    }
}
