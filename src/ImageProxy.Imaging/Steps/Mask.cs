using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// mask=ellipse|corners|image: makes everything outside the shape transparent (then fills it with mask-bg when given).
/// Runs after the canvas and before the border, so the border frames the masked picture.
/// </summary>
internal static class Mask
{
    public static VipsImage Apply(VipsImage image, MaskSpec mask, byte[]? maskImage)
    {
        if (mask.Kind == MaskKind.None)
        {
            return image;
        }

        using var alpha = mask.Kind switch
        {
            MaskKind.Ellipse => ShapeMask.Ellipse(image.Width, image.Height),
            MaskKind.Corners => ShapeMask.RoundedRect(image.Width, image.Height, mask.CornerRadius ?? CornerRadii.All(MaskSpec.DefaultCornerRadius)),
            _ => FromImage(maskImage ?? throw new ImagingException(TransformError.Unprocessable("mask image was not fetched")), image.Width, image.Height),
        };
        // An opaque colour picture (the usual case) just gains the mask as its alpha: one band join, no multiply.
        var masked = !image.HasAlpha() && image.Bands == 3 ? image.BandJoin(alpha) : Shapes.ApplyAlpha(image, alpha);
        if (mask.Background is not { } background)
        {
            return masked;
        }

        using (masked)
        {
            using var solid = Shapes.Solid(image.Width, image.Height, background);
            using var over = solid.CompositeOver(masked);
            return Bands.ToUChar(over);
        }
    }

    /// <summary>A mask image stretched to the picture: its alpha when it has one, else its luminance (white = keep).</summary>
    private static VipsImage FromImage(byte[] bytes, int width, int height)
    {
        using var loaded = VipsImage.NewFromBuffer(bytes);
        var exact = Resize.Exactly(loaded, width, height);
        using var sized = ReferenceEquals(exact, loaded) ? loaded.Copy() : exact;
        using var srgb = ColorConversion.ToSrgb(sized, useProfiles: false) is var s && ReferenceEquals(s, sized) ? null : s;
        var source = srgb ?? sized;
        if (source.HasAlpha())
        {
            return source.ExtractBand(source.Bands - 1);
        }

        using var grey = source.Bands >= 3 ? source.Colourspace(Enums.Interpretation.Bw) : source.Linear([1], [0], uchar: true);
        using var band = grey.ExtractBand(0);
        return band.Linear([1], [0], uchar: true);
    }
}
