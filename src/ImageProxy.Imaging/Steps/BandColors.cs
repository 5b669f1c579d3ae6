using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>Turns an <see cref="Rgba"/> into the per-band background array libvips expects for an image's band layout.</summary>
internal static class BandColors
{
    public static double[] For(VipsImage image, Rgba color) => For(image.Bands, color);

    public static double[] For(int bands, Rgba color)
    {
        double luma = Math.Round((0.2126 * color.R) + (0.7152 * color.G) + (0.0722 * color.B));
        return bands switch
        {
            1 => [luma],
            2 => [luma, color.A],
            3 => [color.R, color.G, color.B],
            4 => [color.R, color.G, color.B, color.A],
            _ => Enumerable.Repeat((double)color.R, bands).ToArray(),
        };
    }

    public static bool IsGrey(Rgba color) => color.R == color.G && color.G == color.B;

    /// <summary>
    /// Makes <paramref name="image"/> able to show <paramref name="color"/>: adds an opaque alpha band when the colour is
    /// (partly) transparent and the output keeps alpha, and turns grey images into sRGB for a non-grey colour.
    /// Returns the same instance when nothing is needed.
    /// </summary>
    public static VipsImage Prepare(VipsImage image, Rgba color, bool outputHasAlpha)
    {
        var current = image;
        if (current.Bands <= 2 && !IsGrey(color))
        {
            current = current.Colourspace(Enums.Interpretation.Srgb);
        }

        if (outputHasAlpha && !color.IsOpaque && !current.HasAlpha())
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
