using NetVips;
using System.Globalization;
using System.Text;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// fill=gradient: the canvas around the picture is a linear or radial gradient. Colours are interpolated in the space
/// fill-gradient-cs names: we compute 33 stops in that space and let the SVG renderer join them in sRGB, which is within
/// a level of the exact curve. Without colours the gradient runs from white to black (our choice).
/// </summary>
internal static class Gradient
{
    private const int Stops = 32;

    public static VipsImage Canvas(VipsImage picture, ResolvedGeometry g, GradientSpec spec)
    {
        var (width, height) = (g.CanvasWidth, g.CanvasHeight);
        var defaultPair = new ColorPair(Rgba.White, new Rgba(0, 0, 0, 255));
        var pair = (spec.Type == GradientType.Radial ? spec.Radial : spec.Linear) ?? defaultPair;
        var stops = new StringBuilder();
        string element;
        if (spec.Type == GradientType.Linear)
        {
            var (x1, y1) = Point(spec.From);
            var (x2, y2) = Point(spec.To);
            AppendStops(stops, pair, spec.ColorSpace, 0, 1);
            element = $"<linearGradient id=\"g\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\">{stops}</linearGradient>";
        }
        else
        {
            var smaller = Math.Min(width, height);
            var outer = Math.Max(Length(spec.OuterRadius, smaller), 1);
            var inner = Math.Clamp(Length(spec.InnerRadius, smaller), 0, outer);
            AppendStops(stops, pair, spec.ColorSpace, inner / outer, 1);
            element = string.Create(CultureInfo.InvariantCulture,
                $"<radialGradient id=\"g\" gradientUnits=\"userSpaceOnUse\" cx=\"{Length(spec.CenterX, width)}\" cy=\"{Length(spec.CenterY, height)}\" r=\"{outer}\">{stops}</radialGradient>");
        }

        using var background = Shapes.Render(width, height, $"<defs>{element}</defs><rect width=\"{width}\" height=\"{height}\" fill=\"url(#g)\"/>");
        using var rgba = Shapes.WithAlpha(picture);
        using var placed = background.CompositeOver(rgba, g.PictureX, g.PictureY);
        return Bands.ToUChar(placed);
    }

    /// <summary>Where a side lies in the unit box (top and left share the origin; the other coordinate stays 0).</summary>
    private static (int X, int Y) Point(Side side) => side switch
    {
        Side.Bottom => (0, 1),
        Side.Right => (1, 0),
        _ => (0, 0),
    };

    private static double Length(SizeValue value, int side) => value.Unit == SizeUnit.Fraction ? value.Value * side : value.Value;

    private static void AppendStops(StringBuilder stops, ColorPair pair, GradientColorSpace space, double from, double to)
    {
        for (var i = 0; i <= Stops; i++)
        {
            var t = (double)i / Stops;
            var c = ColorInterpolation.Interpolate(pair.First, pair.Second, t, space);
            stops.Append(CultureInfo.InvariantCulture,
                $"<stop offset=\"{from + ((to - from) * t):0.####}\" stop-color=\"{Shapes.Hex(c)}\" stop-opacity=\"{Shapes.Opacity(c)}\"/>");
        }
    }
}

/// <summary>Colour interpolation in the spaces fill-gradient-cs offers (formulas from the CSS Color 4 and Oklab definitions).</summary>
internal static class ColorInterpolation
{
    public static Rgba Interpolate(Rgba a, Rgba b, double t, GradientColorSpace space)
    {
        var alpha = (byte)Math.Round(a.A + ((b.A - a.A) * t));
        double[] ca = [a.R / 255.0, a.G / 255.0, a.B / 255.0], cb = [b.R / 255.0, b.G / 255.0, b.B / 255.0];
        double[] rgb = space switch
        {
            GradientColorSpace.Linear => FromLinear(Lerp(ToLinear(ca), ToLinear(cb), t)),
            GradientColorSpace.Oklab => FromOklab(Lerp(ToOklab(ca), ToOklab(cb), t)),
            GradientColorSpace.Lch => FromOklab(FromPolar(LerpHue(ToPolar(ToOklab(ca)), ToPolar(ToOklab(cb)), t, 2))),
            GradientColorSpace.Hsl => FromHsl(LerpHue(ToHsl(ca), ToHsl(cb), t, 0)),
            _ => Lerp(ca, cb, t),
        };
        byte Channel(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return new Rgba(Channel(rgb[0]), Channel(rgb[1]), Channel(rgb[2]), alpha);
    }

    private static double[] Lerp(double[] a, double[] b, double t) => [.. a.Zip(b, (x, y) => x + ((y - x) * t))];

    /// <summary>Interpolates with the hue (at <paramref name="hueIndex"/>, degrees) taking the shorter way round.</summary>
    private static double[] LerpHue(double[] a, double[] b, double t, int hueIndex)
    {
        var result = Lerp(a, b, t);
        var delta = ((b[hueIndex] - a[hueIndex] + 540) % 360) - 180;
        result[hueIndex] = (a[hueIndex] + (delta * t) + 360) % 360;
        return result;
    }

    private static double ToLinearChannel(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static double FromLinearChannel(double c) => c <= 0.0031308 ? c * 12.92 : (1.055 * Math.Pow(Math.Max(c, 0), 1 / 2.4)) - 0.055;

    private static double[] ToLinear(double[] c) => [.. c.Select(ToLinearChannel)];

    private static double[] FromLinear(double[] c) => [.. c.Select(FromLinearChannel)];

    private static double[] ToOklab(double[] srgb)
    {
        var (r, g, b) = (ToLinearChannel(srgb[0]), ToLinearChannel(srgb[1]), ToLinearChannel(srgb[2]));
        var l = Math.Cbrt((0.4122214708 * r) + (0.5363325363 * g) + (0.0514459929 * b));
        var m = Math.Cbrt((0.2119034982 * r) + (0.6806995451 * g) + (0.1073969566 * b));
        var s = Math.Cbrt((0.0883024619 * r) + (0.2817188376 * g) + (0.6299787005 * b));
        return [(0.2104542553 * l) + (0.7936177850 * m) - (0.0040720468 * s),
                (1.9779984951 * l) - (2.4285922050 * m) + (0.4505937099 * s),
                (0.0259040371 * l) + (0.7827717662 * m) - (0.8086757660 * s)];
    }

    private static double[] FromOklab(double[] lab)
    {
        var l = Math.Pow(lab[0] + (0.3963377774 * lab[1]) + (0.2158037573 * lab[2]), 3);
        var m = Math.Pow(lab[0] - (0.1055613458 * lab[1]) - (0.0638541728 * lab[2]), 3);
        var s = Math.Pow(lab[0] - (0.0894841775 * lab[1]) - (1.2914855480 * lab[2]), 3);
        return FromLinear([(4.0767416621 * l) - (3.3077115913 * m) + (0.2309699292 * s),
                           (-1.2684380046 * l) + (2.6097574011 * m) - (0.3413193965 * s),
                           (-0.0041960863 * l) - (0.7034186147 * m) + (1.7076147010 * s)]);
    }

    private static double[] ToPolar(double[] lab) =>
        [lab[0], Math.Sqrt((lab[1] * lab[1]) + (lab[2] * lab[2])), (Math.Atan2(lab[2], lab[1]) * 180 / Math.PI + 360) % 360];

    private static double[] FromPolar(double[] lch) =>
        [lch[0], lch[1] * Math.Cos(lch[2] * Math.PI / 180), lch[1] * Math.Sin(lch[2] * Math.PI / 180)];

    private static double[] ToHsl(double[] c)
    {
        double max = c.Max(), min = c.Min(), l = (max + min) / 2, d = max - min;
        if (d == 0)
        {
            return [0, 0, l];
        }

        var s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
        var h = max == c[0] ? ((c[1] - c[2]) / d) + (c[1] < c[2] ? 6 : 0) : max == c[1] ? ((c[2] - c[0]) / d) + 2 : ((c[0] - c[1]) / d) + 4;
        return [h * 60, s, l];
    }

    private static double[] FromHsl(double[] hsl)
    {
        var (h, s, l) = (hsl[0], hsl[1], hsl[2]);
        var c = (1 - Math.Abs((2 * l) - 1)) * s;
        double F(double n)
        {
            var k = (n + (h / 30)) % 12;
            return l - (c / 2 * Math.Max(-1, Math.Min(Math.Min(k - 3, 9 - k), 1)));
        }

        return [F(0), F(8), F(4)];
    }
}
