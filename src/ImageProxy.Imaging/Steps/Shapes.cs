using NetVips;
using System.Globalization;
using System.Text;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Anti-aliased shapes drawn by libvips' SVG loader from SVG text we write ourselves (never from request text: every value
/// is a number or a hex colour formatted here), then used as alpha masks or composited overlays.
/// </summary>
internal static class Shapes
{
    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Hex(Rgba c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";

    public static string Opacity(Rgba c) => N(c.A / 255.0);

    /// <summary>An SVG path of a w×h rectangle at (x, y) with per-corner radii (each clamped to half the shorter side).</summary>
    public static string RoundedRect(double x, double y, double w, double h, CornerRadii r)
    {
        var max = Math.Min(w, h) / 2;
        double tl = Math.Min(r.TopLeft, max), tr = Math.Min(r.TopRight, max), br = Math.Min(r.BottomRight, max), bl = Math.Min(r.BottomLeft, max);
        return $"M{N(x + tl)},{N(y)} H{N(x + w - tr)} A{N(tr)},{N(tr)} 0 0 1 {N(x + w)},{N(y + tr)} " +
               $"V{N(y + h - br)} A{N(br)},{N(br)} 0 0 1 {N(x + w - br)},{N(y + h)} " +
               $"H{N(x + bl)} A{N(bl)},{N(bl)} 0 0 1 {N(x)},{N(y + h - bl)} " +
               $"V{N(y + tl)} A{N(tl)},{N(tl)} 0 0 1 {N(x + tl)},{N(y)} Z";
    }

    public static string Ellipse(double w, double h) =>
        $"M0,{N(h / 2)} A{N(w / 2)},{N(h / 2)} 0 1 1 {N(w)},{N(h / 2)} A{N(w / 2)},{N(h / 2)} 0 1 1 0,{N(h / 2)} Z";

    /// <summary>A one-band uchar alpha mask: 255 inside the path, 0 outside, anti-aliased edges.</summary>
    public static VipsImage Mask(int width, int height, string path)
    {
        using var drawn = Render(width, height, $"<path d=\"{path}\" fill=\"#fff\"/>");
        return drawn.ExtractBand(3);
    }

    /// <summary>Renders SVG body elements on a transparent width×height sRGB canvas (4 bands, uchar).</summary>
    public static VipsImage Render(int width, int height, string body)
    {
        var svg = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">")
            .Append(body)
            .Append("</svg>")
            .ToString();
        using var loaded = VipsOps.Svg(svg);
        // The loader sizes from width/height; guard against rounding so callers can composite pixel-exactly.
        return loaded.Width == width && loaded.Height == height ? loaded.Linear([1], [0], uchar: true) : Resize.ToSize(loaded, width, height);
    }

    /// <summary>Multiplies the image's alpha (adding an opaque one first if needed) by a one-band mask; colours are untouched.</summary>
    public static VipsImage ApplyAlpha(VipsImage image, VipsImage mask)
    {
        using var rgba = WithAlpha(image);
        using var color = rgba.ExtractBand(0, rgba.Bands - 1);
        using var alpha = rgba.ExtractBand(rgba.Bands - 1);
        using var product = alpha.Multiply(mask);
        using var scaled = product.Linear([1 / 255.0], [0], uchar: true);
        return color.BandJoin(scaled);
    }

    /// <summary>The image as sRGB with alpha (4 bands); a new reference even when it already is.</summary>
    public static VipsImage WithAlpha(VipsImage image)
    {
        using var srgb = image.Bands <= 2 ? image.Colourspace(Enums.Interpretation.Srgb) : image.Linear([1], [0], uchar: true);
        return srgb.HasAlpha() ? srgb.Linear([1], [0], uchar: true) : srgb.BandjoinConst([255]);
    }

    /// <summary>A width×height sRGBA image of one colour.</summary>
    public static VipsImage Solid(int width, int height, Rgba color)
    {
        using var black = VipsImage.Black(width, height, 1);
        using var rgba = black.Linear([0, 0, 0, 0], [color.R, color.G, color.B, color.A], uchar: true);
        return rgba.Tagged(Enums.Interpretation.Srgb);
    }
}
