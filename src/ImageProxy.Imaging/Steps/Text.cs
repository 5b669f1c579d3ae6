using System.Net;
using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// txt: libvips text (pango) renders the caption as an alpha mask, which is coloured with txt-color and composited over
/// the finished picture at txt-align, txt-pad from the edges. The text is untrusted: it is escaped, so pango markup in
/// it is shown, not interpreted.
/// </summary>
internal static class Text
{
    public static VipsImage Apply(VipsImage image, TextSpec spec)
    {
        if (spec.Text is not { } text)
        {
            return image;
        }

        var width = spec.Width ?? Math.Max(1, image.Width - (2 * spec.Pad));
        var font = $"{spec.Family}{(spec.Bold ? " Bold" : string.Empty)}{(spec.Italic ? " Italic" : string.Empty)} {spec.Size}px";
        var align = spec.Horizontal switch
        {
            HorizontalAnchor.Left => Enums.Align.Low,
            HorizontalAnchor.Center => Enums.Align.Centre,
            _ => Enums.Align.High,
        };

        VipsImage mask;
        try
        {
            // dpi 72 makes pango's points pixels; HtmlEncode escapes &, <, > and quotes, the whole of pango markup.
            mask = VipsImage.Text(WebUtility.HtmlEncode(text), font: font, width: width, align: align, dpi: 72, wrap: Enums.TextWrap.WordChar);
        }
        catch (VipsException e)
        {
            throw new ImagingException(TransformError.Unprocessable("txt could not be rendered by this server's libvips (pango) build"), e);
        }

        using (mask)
        {
            var c = spec.Color;
            using var color = mask.NewFromImage(new double[] { c.R, c.G, c.B });
            using var alpha = c.A == 255 ? mask.Copy() : (mask * (c.A / 255.0)).Cast(Enums.BandFormat.Uchar);
            using var overlay = color.Bandjoin(alpha).Copy(interpretation: Enums.Interpretation.Srgb);
            var x = spec.Horizontal switch
            {
                HorizontalAnchor.Left => spec.Pad,
                HorizontalAnchor.Center => (image.Width - overlay.Width) / 2,
                _ => image.Width - overlay.Width - spec.Pad,
            };
            var y = spec.Vertical switch
            {
                VerticalAnchor.Top => spec.Pad,
                VerticalAnchor.Middle => (image.Height - overlay.Height) / 2,
                _ => image.Height - overlay.Height - spec.Pad,
            };

            // A grey picture becomes sRGB so coloured text stays coloured.
            var hadAlpha = image.HasAlpha();
            using var rgb = image.Bands < 3 ? image.Colourspace(Enums.Interpretation.Srgb) : image.Copy();
            using var withText = rgb.Composite2(overlay, Enums.BlendMode.Over, x: x, y: y);
            // composite works in float and always adds alpha: back to 8 bits, and no alpha when the picture had none.
            using var bytes = withText.Cast(Enums.BandFormat.Uchar);
            return hadAlpha ? bytes.Copy() : bytes.ExtractBand(0, n: 3);
        }
    }
}
