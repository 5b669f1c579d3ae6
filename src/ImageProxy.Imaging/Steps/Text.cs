using System.Globalization;
using System.Security;
using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// txt: libvips text (pango) sets the caption as an RGBA layer (colour glyphs such as emoji keep their colours), with an
/// optional outline (txt-line) and drop shadow (txt-shad) under it, and composites it over the finished picture at
/// txt-align / txt-x / txt-y. The text is untrusted: it is escaped, so pango markup in it is shown, not interpreted,
/// unless the source switched markup on (<see cref="TextSpec.Markup"/>).
/// </summary>
internal static class Text
{
    private const string Ellipsis = "…";

    /// <summary>The text layer and how far the outline and shadow reach beyond the text box on every side.</summary>
    private sealed record Layer(VipsImage Image, int Margin) : IDisposable
    {
        public void Dispose() => Image.Dispose();
    }

    public static VipsImage Apply(VipsImage image, TextSpec spec)
    {
        if (spec.Text is null)
        {
            return image;
        }

        var wrap = spec.Width ?? Math.Max(1, image.Width - (2 * spec.Pad));
        var room = Math.Max(1, image.Height - (2 * spec.Pad));
        using var layer = Draw(spec, wrap, room);
        return Place(image, layer, spec);
    }

    /// <summary>
    /// /~text: an image of the text alone on <paramref name="background"/>. Width: <paramref name="width"/>, else
    /// txt-width plus txt-pad on both sides, else the text's own width plus pad; height: <paramref name="height"/>, else the
    /// text's height plus pad. Never larger than <paramref name="maxSide"/> on a side.
    /// </summary>
    public static VipsImage Typeset(TextSpec spec, int? width, int? height, Rgba background, int maxSide)
    {
        var pad = spec.Pad;
        var wrap = spec.Width ?? Math.Max(1, (width ?? maxSide) - (2 * pad));
        using var layer = Draw(spec, wrap, Math.Max(1, (height ?? maxSide) - (2 * pad)));
        var textWidth = layer.Image.Width - (2 * layer.Margin);
        var textHeight = layer.Image.Height - (2 * layer.Margin);
        var w = Math.Clamp(width ?? ((spec.Width ?? textWidth) + (2 * pad)), 1, maxSide);
        var h = Math.Clamp(height ?? (textHeight + (2 * pad)), 1, maxSide);
        using var black = VipsImage.Black(w, h);
        using var filled = black.NewFromImage(background.R, background.G, background.B, background.A);
        using var canvas = filled.Copy(interpretation: Enums.Interpretation.Srgb);
        return Place(canvas, layer, spec);
    }

    /// <summary>Composites the layer at txt-x/txt-y, else at txt-align with txt-pad from the edges.</summary>
    private static VipsImage Place(VipsImage image, Layer layer, TextSpec spec)
    {
        var textWidth = layer.Image.Width - (2 * layer.Margin);
        var textHeight = layer.Image.Height - (2 * layer.Margin);
        var x = spec.X ?? spec.Horizontal switch
        {
            HorizontalAnchor.Left => spec.Pad,
            HorizontalAnchor.Center => (image.Width - textWidth) / 2,
            _ => image.Width - textWidth - spec.Pad,
        };
        var y = spec.Y ?? spec.Vertical switch
        {
            VerticalAnchor.Top => spec.Pad,
            VerticalAnchor.Middle => (image.Height - textHeight) / 2,
            _ => image.Height - textHeight - spec.Pad,
        };

        // A grey picture becomes sRGB so coloured text stays coloured.
        var hadAlpha = image.HasAlpha();
        using var rgb = image.Bands < 3 ? image.Colourspace(Enums.Interpretation.Srgb) : image.Copy();
        using var withText = rgb.Composite2(layer.Image, Enums.BlendMode.Over, x: x - layer.Margin, y: y - layer.Margin);
        // composite works in float and always adds alpha: back to 8 bits, and no alpha when the picture had none.
        using var bytes = withText.Cast(Enums.BandFormat.Uchar);
        return hadAlpha ? bytes.Copy() : bytes.ExtractBand(0, n: 3);
    }

    /// <summary>The caption set at most <paramref name="wrap"/> wide, fitted (txt-fit) or clipped (txt-clip) to <paramref name="room"/> high, with outline and shadow.</summary>
    private static Layer Draw(TextSpec spec, int wrap, int room)
    {
        var text = spec.Text!;
        var glyphs = Set(spec, Markup(spec, text), wrap, autofitHeight: null);
        if (glyphs.Height > room && spec.FitMax)
        {
            // autofit searches the dpi at which the text fills wrap × room: smaller type, same font.
            glyphs = Decode.Replace(glyphs, Set(spec, Markup(spec, text), wrap, autofitHeight: room));
        }

        if (glyphs.Height > room)
        {
            glyphs = Decode.Replace(glyphs, spec.Markup ? Crop(glyphs, room, spec.Clip) : Clip(spec, text, wrap, room));
        }

        using (glyphs)
        {
            return Decorate(glyphs, spec);
        }
    }

    /// <summary>
    /// The longest cut of the text (by characters as the reader sees them, so an emoji or an accented letter is never
    /// split) whose layout fits <paramref name="room"/>: binary search, about log2(length) layouts of a short caption.
    /// </summary>
    private static VipsImage Clip(TextSpec spec, string text, int wrap, int room)
    {
        var elements = TextElements(text);
        int low = 1, high = elements.Length - 1;
        VipsImage? best = null;
        try
        {
            while (low <= high)
            {
                var keep = (low + high + 1) / 2;
                var candidate = Set(spec, Markup(spec, Cut(elements, keep, spec)), wrap, autofitHeight: null);
                if (candidate.Height <= room)
                {
                    best?.Dispose();
                    best = candidate;
                    low = keep + 1;
                }
                else
                {
                    candidate.Dispose();
                    high = keep - 1;
                }
            }

            // Not even one character fits: the first line, cut at the room.
            return best ?? Crop(Set(spec, Markup(spec, Cut(elements, 1, spec)), wrap, autofitHeight: null), room, TextClip.End);
        }
        catch
        {
            best?.Dispose();
            throw;
        }
    }

    private static string[] TextElements(string text)
    {
        var list = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            list.Add(enumerator.GetTextElement());
        }

        return [.. list];
    }

    /// <summary><paramref name="keep"/> characters: the first (clip end), the last (clip start) or both ends (clip middle), with "…" at the cut.</summary>
    internal static string Cut(string[] elements, int keep, TextSpec spec)
    {
        var mark = spec.Ellipsis ? Ellipsis : string.Empty;
        return spec.Clip switch
        {
            TextClip.Start => mark + string.Concat(elements[^keep..]),
            TextClip.Middle => string.Concat(elements[..((keep + 1) / 2)]) + mark + string.Concat(elements[^(keep / 2)..]),
            _ => string.Concat(elements[..keep]) + mark,
        };
    }

    /// <summary>Markup text can be cut only in pixels (a cut could split a tag): the rows that txt-clip keeps.</summary>
    private static VipsImage Crop(VipsImage glyphs, int room, TextClip clip)
    {
        using (glyphs)
        {
            var top = clip switch
            {
                TextClip.Start => glyphs.Height - room,
                TextClip.Middle => (glyphs.Height - room) / 2,
                _ => 0,
            };
            return glyphs.ExtractArea(0, top, glyphs.Width, room).Copy();
        }
    }

    /// <summary>
    /// The text as pango markup: escaped (the whole of pango markup is &amp;, &lt;, &gt; and quotes) unless the source
    /// allows markup, inside one span that sets the colour and the tracking.
    /// </summary>
    internal static string Markup(TextSpec spec, string text)
    {
        var body = spec.Markup ? text : SecurityElement.Escape(text);
        var c = spec.Color;
        // letter_spacing is in 1/1024 of a point; at 72 dpi a point is a pixel.
        var tracking = spec.Track == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" letter_spacing=\"{spec.Track * 1024}\"");
        return $"<span foreground=\"#{c.R:x2}{c.G:x2}{c.B:x2}\"{tracking}>{body}</span>";
    }

    /// <summary>One pango layout as RGBA. autofitHeight: let libvips pick the dpi that fills wrap × that height.</summary>
    private static VipsImage Set(TextSpec spec, string markup, int wrap, int? autofitHeight)
    {
        // Points at 72 dpi are pixels, and sizes in points (not px) are what autofit can scale through the dpi.
        var font = string.Create(CultureInfo.InvariantCulture, $"{spec.Family}{(spec.Bold ? " Bold" : string.Empty)}{(spec.Italic ? " Italic" : string.Empty)} {spec.Size}");
        // Lines follow their paragraph's direction (pango's auto-dir): "low" is the start edge, so a Hebrew or Arabic
        // paragraph is flush right inside its box and a Latin one flush left; txt-align places the box.
        var align = spec.Horizontal == HorizontalAnchor.Center ? Enums.Align.Centre : Enums.Align.Low;
        try
        {
            var options = new VOption
            {
                { "font", font }, { "width", wrap }, { "align", align }, { "wrap", Enums.TextWrap.WordChar }, { "rgba", true },
            };
            if (spec.Lead > 0)
            {
                options.Add("spacing", spec.Lead);
            }

            // libvips autofits only when height is set and dpi is not (its default dpi is 72 too).
            if (autofitHeight is { } h)
            {
                options.Add("height", h);
            }
            else
            {
                options.Add("dpi", 72);
            }

            return (VipsImage)Operation.Call("text", options, markup);
        }
        catch (VipsException e) when (spec.Markup)
        {
            throw new ImagingException(TransformError.BadParameter("txt", "not valid pango markup (this source interprets markup)"), e);
        }
        catch (VipsException e)
        {
            throw new ImagingException(TransformError.Unprocessable("txt could not be rendered by this server's libvips (pango) build"), e);
        }
    }

    /// <summary>Shadow, then outline, then the glyphs (faded by txt-color's alpha), on a canvas with room for both.</summary>
    private static Layer Decorate(VipsImage glyphs, TextSpec spec)
    {
        var sigma = spec.Shadow > 0 ? 0.5 + (spec.Shadow / 2) : 0;
        var offset = (int)Math.Ceiling(spec.Shadow / 2);
        var margin = spec.Line + (sigma > 0 ? (int)Math.Ceiling(3 * sigma) + offset : 0);

        using var faded = spec.Color.A == 255 ? glyphs.Copy() : Fade(glyphs, spec.Color.A / 255.0);
        var layer = margin == 0 ? faded.Copy() : faded.Embed(margin, margin, glyphs.Width + (2 * margin), glyphs.Height + (2 * margin));
        try
        {
            if (spec.Line == 0 && sigma == 0)
            {
                return new Layer(layer, 0);
            }

            using var alpha = layer.ExtractBand(3);
            if (spec.Line > 0)
            {
                // A max filter grows the glyphs' alpha by txt-line pixels on every side and keeps its soft edge.
                var window = (2 * spec.Line) + 1;
                using var grown = alpha.Rank(window, window, (window * window) - 1);
                using var outline = Solid(grown, spec.LineColor);
                layer = Decode.Replace(layer, outline.Composite2(layer, Enums.BlendMode.Over));
            }

            if (sigma > 0)
            {
                using var soft = alpha.Gaussblur(sigma);
                using var shifted = soft.Embed(offset, offset, soft.Width, soft.Height);
                using var shadow = Solid(shifted, new Rgba(0, 0, 0, 191));
                layer = Decode.Replace(layer, shadow.Composite2(layer, Enums.BlendMode.Over));
            }

            using (layer)
            {
                return new Layer(layer.Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb), margin);
            }
        }
        catch
        {
            layer.Dispose();
            throw;
        }
    }

    /// <summary>A colour through a one-band mask: RGBA, the mask (times the colour's alpha) as alpha.</summary>
    private static VipsImage Solid(VipsImage mask, Rgba color)
    {
        using var rgb = mask.NewFromImage(color.R, color.G, color.B);
        using var alpha = color.A == 255 ? mask.Copy() : (mask * (color.A / 255.0)).Cast(Enums.BandFormat.Uchar);
        return rgb.Bandjoin(alpha).Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static VipsImage Fade(VipsImage rgba, double factor)
    {
        using var rgb = rgba.ExtractBand(0, n: 3);
        using var alpha = rgba.ExtractBand(3);
        using var less = (alpha * factor).Cast(Enums.BandFormat.Uchar);
        return rgb.Bandjoin(less).Copy(interpretation: Enums.Interpretation.Srgb);
    }
}
