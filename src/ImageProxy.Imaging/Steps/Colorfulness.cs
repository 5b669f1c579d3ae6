using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// sat and hue as one 3×3 colour matrix in sRGB (the Filter Effects saturate and hue-rotate matrices: luminance-keeping,
/// so sat=−100 gives R = G = B), cheap on any picture; vib in LCh, where it can scale dull colours' chroma more than
/// vivid ones.
/// </summary>
internal static class Colorfulness
{
    /// <summary>Chroma at which vibrance stops adding (a vivid sRGB colour).</summary>
    private const double VividChroma = 130;

    public static VipsImage Apply(VipsImage image, Adjustments a)
    {
        var current = image;
        if (a.Saturation != 0 || a.Hue != 0)
        {
            var matrix = Multiply(HueRotate(a.Hue), Saturate(1 + (a.Saturation / 100.0)));
            current = Bands.OnColor(current, color => color.Recomb(matrix));
        }

        if (a.Vibrance == 0)
        {
            return current;
        }

        using (ReferenceEquals(current, image) ? null : current)
        {
            return Bands.OnColor(current, color => Vibrance(color, a.Vibrance / 100.0));
        }
    }

    private static VipsImage Vibrance(VipsImage color, double v)
    {
        using var lch = color.Colourspace(Enums.Interpretation.Lch);
        using var l = lch.ExtractBand(0);
        using var c = lch.ExtractBand(1);
        using var h = lch.ExtractBand(2);
        // C' = C·(1 + v·(1 − C/130)) = (1 + v)·C − (v/130)·C², never below 0.
        using var squared = c.Multiply(c);
        using var dull = squared.Linear([-v / VividChroma], [0]);
        using var boosted = c.Linear([1 + v], [0]);
        using var vivid = boosted.Add(dull);
        using var chroma = vivid.Max0();
        using var lc = l.BandJoin(chroma);
        using var joined = lc.BandJoin(h);
        using var tagged = joined.Tagged(Enums.Interpretation.Lch);
        return tagged.Colourspace(Enums.Interpretation.Srgb);
    }

    private static double[,] Saturate(double s) => new[,]
    {
        { 0.213 + (0.787 * s), 0.715 - (0.715 * s), 0.072 - (0.072 * s) },
        { 0.213 - (0.213 * s), 0.715 + (0.285 * s), 0.072 - (0.072 * s) },
        { 0.213 - (0.213 * s), 0.715 - (0.715 * s), 0.072 + (0.928 * s) },
    };

    private static double[,] HueRotate(int degrees)
    {
        var r = degrees * Math.PI / 180;
        var (cos, sin) = (Math.Cos(r), Math.Sin(r));
        return new[,]
        {
            { 0.213 + (cos * 0.787) - (sin * 0.213), 0.715 - (cos * 0.715) - (sin * 0.715), 0.072 - (cos * 0.072) + (sin * 0.928) },
            { 0.213 - (cos * 0.213) + (sin * 0.143), 0.715 + (cos * 0.285) + (sin * 0.140), 0.072 - (cos * 0.072) - (sin * 0.283) },
            { 0.213 - (cos * 0.213) - (sin * 0.787), 0.715 - (cos * 0.715) + (sin * 0.715), 0.072 + (cos * 0.928) + (sin * 0.072) },
        };
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        var product = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var k = 0; k < 3; k++)
                {
                    product[r, c] += x[r, k] * y[k, c];
                }
            }
        }

        return product;
    }
}
