using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>Before encoding: when the output format cannot carry alpha (JPEG), composite the picture onto bg (default white).</summary>
internal static class Flatten
{
    public static VipsImage Apply(VipsImage image, ImageFormat output, Rgba? background)
    {
        if (output.CarriesAlpha() || !image.HasAlpha())
        {
            return image;
        }

        var bg = background ?? Rgba.White;
        var flat = image.Flatten(BandColors.For(image.Bands - 1, bg with { A = 255 }));
        try
        {
            // flatten can widen the band format; savers want uchar.
            return flat.Format == Enums.BandFormat.Uchar ? flat : Decode.Replace(flat, flat.Cast(Enums.BandFormat.Uchar));
        }
        catch
        {
            flat.Dispose();
            throw;
        }
    }
}
