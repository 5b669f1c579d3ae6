using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>Turns an <see cref="Rgba"/> into the per-band background array libvips expects for an image's band layout.</summary>
internal static class Colours
{
    public static double[] For(VipsImage image, Rgba colour) => For(image.Bands, colour);

    public static double[] For(int bands, Rgba colour)
    {
        double luma = Math.Round((0.2126 * colour.R) + (0.7152 * colour.G) + (0.0722 * colour.B));
        return bands switch
        {
            1 => [luma],
            2 => [luma, colour.A],
            3 => [colour.R, colour.G, colour.B],
            4 => [colour.R, colour.G, colour.B, colour.A],
            _ => Enumerable.Repeat((double)colour.R, bands).ToArray(),
        };
    }

    public static bool IsGrey(Rgba colour) => colour.R == colour.G && colour.G == colour.B;

    /// <summary>
    /// Makes <paramref name="image"/> able to show <paramref name="colour"/>: adds an opaque alpha band when the colour is
    /// (partly) transparent and the output keeps alpha, and turns grey images into sRGB for a non-grey colour.
    /// Returns the same instance when nothing is needed.
    /// </summary>
    public static VipsImage Prepare(VipsImage image, Rgba colour, bool outputHasAlpha)
    {
        var current = image;
        if (current.Bands <= 2 && !IsGrey(colour))
        {
            current = current.Colourspace(Enums.Interpretation.Srgb);
        }

        if (outputHasAlpha && !colour.IsOpaque && !current.HasAlpha())
        {
            var withAlpha = current.BandjoinConst([255]);
            if (!ReferenceEquals(current, image))
            {
                current.Dispose();
            }

            current = withAlpha;
        }

        return current;
    }
}
