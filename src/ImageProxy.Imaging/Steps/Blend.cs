using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// blend: a colour layer over the whole picture, or an image layer sized (blend-w, blend-h, blend-fit, blend-crop,
/// blend-size=inherit) and placed (blend-align, blend-pad, blend-x, blend-y), mixed in with blend-mode at blend-alpha.
/// The separable modes are libvips composite modes; hue, saturation, color and luminosity, which libvips lacks, mix the
/// two layers' LCh components. The picture keeps its own alpha: a blend changes colours, not coverage.
/// </summary>
internal static class Blend
{
    public static VipsImage Apply(VipsImage image, BlendSpec blend, byte[]? bytes)
    {
        if (!blend.IsActive)
        {
            return image;
        }

        using var layer = Layer(image.Width, image.Height, blend, bytes);
        using var faded = Overlay.Fade(layer, blend.Alpha);
        var picture = image.HasAlpha() ? image.ExtractBand(image.Bands - 1) : null;
        using var coverage = picture;
        using var mixed = LibvipsMode(blend.Mode) is { } mode
            ? Overlay.Composite(image, faded, 0, 0, mode)
            : NonSeparable(image, faded, blend.Mode);
        if (coverage is null)
        {
            return mixed.Copy();
        }

        using var colours = mixed.ExtractBand(0, n: mixed.Bands - 1);
        return colours.Bandjoin(coverage);
    }

    /// <summary>The layer, picture-sized, 4-band sRGB: the colour everywhere, or the image at its place with transparency around.</summary>
    private static VipsImage Layer(int width, int height, BlendSpec blend, byte[]? bytes)
    {
        if (blend.Image is null)
        {
            return Shapes.Solid(width, height, blend.Color!.Value);
        }

        if (bytes is null)
        {
            throw new ImagingException(TransformError.Unprocessable("blend: the image was not fetched"));
        }

        var (boxWidth, boxHeight) = blend.Inherit
            ? (SizeValue.Pixels(width), SizeValue.Pixels(height))
            : (blend.Width, blend.Height);
        using var sized = Overlay.Load(bytes, width, height, blend.Fit, boxWidth, boxHeight, blend.CropHorizontal, blend.CropVertical);
        var x = Overlay.Place(width, sized.Width, Overlay.Anchor(blend.Horizontal), blend.Pad, blend.X);
        var y = Overlay.Place(height, sized.Height, Overlay.Anchor(blend.Vertical), blend.Pad, blend.Y);
        return sized.Embed(x, y, width, height, extend: Enums.Extend.Background, background: [0, 0, 0, 0]);
    }

    private static Enums.BlendMode? LibvipsMode(BlendMode mode) => mode switch
    {
        BlendMode.Normal => Enums.BlendMode.Over,
        BlendMode.Multiply => Enums.BlendMode.Multiply,
        BlendMode.Screen => Enums.BlendMode.Screen,
        BlendMode.Overlay => Enums.BlendMode.Overlay,
        BlendMode.Darken => Enums.BlendMode.Darken,
        BlendMode.Lighten => Enums.BlendMode.Lighten,
        BlendMode.Dodge => Enums.BlendMode.ColourDodge,
        BlendMode.Burn => Enums.BlendMode.ColourBurn,
        BlendMode.HardLight => Enums.BlendMode.HardLight,
        BlendMode.SoftLight => Enums.BlendMode.SoftLight,
        BlendMode.Difference => Enums.BlendMode.Difference,
        BlendMode.Exclusion => Enums.BlendMode.Exclusion,
        _ => null,
    };

    /// <summary>
    /// hue, saturation, color, luminosity: the picture's LCh components with the layer's hue (h, chroma capped at the
    /// layer's), chroma (C), chroma and hue, or lightness (L) put in; the result then goes over the picture with the layer's alpha. LCh stands in for the W3C
    /// formulas' RGB luminosity and saturation (an approximation: perceptually even, and close for saturated colours).
    /// </summary>
    private static VipsImage NonSeparable(VipsImage image, VipsImage layer, BlendMode mode)
    {
        using var pictureRgb = image.Bands < 3 ? image.Colourspace(Enums.Interpretation.Srgb) : image.Copy();
        using var pictureColours = pictureRgb.ExtractBand(0, n: 3);
        using var layerColours = layer.ExtractBand(0, n: 3);
        using var layerAlpha = layer.ExtractBand(3);
        using var basis = pictureColours.Colourspace(Enums.Interpretation.Lch);
        using var other = layerColours.Colourspace(Enums.Interpretation.Lch);
        using var lightness = (mode == BlendMode.Luminosity ? other : basis).ExtractBand(0);
        using var pictureChroma = basis.ExtractBand(1);
        using var layerChroma = other.ExtractBand(1);
        // hue keeps the picture's chroma but never more than the layer's: a grey layer (no hue) gives grey, as the W3C
        // formula does, instead of an arbitrary hue.
        using var chroma = mode switch
        {
            BlendMode.Saturation or BlendMode.Color => layerChroma.Copy(),
            BlendMode.Hue => (pictureChroma < layerChroma).Ifthenelse(pictureChroma, layerChroma),
            _ => pictureChroma.Copy(),
        };
        using var hue = (mode is BlendMode.Hue or BlendMode.Color ? other : basis).ExtractBand(2);
        using var joined = lightness.Bandjoin([chroma, hue]);
        using var lch = joined.Copy(interpretation: Enums.Interpretation.Lch);
        using var srgb = lch.Colourspace(Enums.Interpretation.Srgb);
        using var bytes = srgb.Cast(Enums.BandFormat.Uchar);
        using var top = bytes.Bandjoin(layerAlpha);
        return Overlay.Composite(image, top, 0, 0);
    }
}
