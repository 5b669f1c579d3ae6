using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Tone adjustments as one per-channel curve, applied with a single lookup table: auto=enhance (levels), exp, bri, con,
/// gam, shad, high, then invert. One table means one pass over the pixels however many of them are set.
/// </summary>
internal static class Tone
{
    public static bool IsNeeded(TransformPlan plan)
    {
        var a = plan.Adjust;
        return plan.AutoEnhance || a.Exposure != 0 || a.Brightness != 0 || a.Contrast != 0 || a.Gamma != 0
            || a.Shadows != 0 || a.Highlights != 0 || a.Invert;
    }

    public static VipsImage Apply(VipsImage image, TransformPlan plan)
    {
        if (!IsNeeded(plan))
        {
            return image;
        }

        // Levels reads the picture once for its histogram and maplut once more: not on the one-shot pipeline (docs/libvips.md §1).
        using var memory = plan.AutoEnhance ? Materialize.Apply(image) : null;
        var source = memory ?? image;
        var (low, high) = plan.AutoEnhance ? Levels(source) : (0.0, 1.0);
        using var lut = Bands.Lut(source.Bands, source.HasAlpha(), v => Curve(v, plan.Adjust, low, high, plan.AutoEnhance));
        return Bands.MapLut(source, lut);
    }

    /// <summary>The curve for one channel value v in 0–1 (public for tests and docs: every mapping is written here).</summary>
    public static double Curve(double v, Adjustments a, double low = 0, double high = 1, bool enhance = false)
    {
        if (enhance && high > low)
        {
            // Levels: the 0.5 % darkest and lightest luminance become black and white, then a gentle S-curve.
            v = Math.Clamp((v - low) / (high - low), 0, 1);
            v += 0.1 * Math.Sin(2 * Math.PI * v) * -0.5;
        }

        v *= Math.Pow(2, a.Exposure / 50.0);                       // ±100 = ±2 stops
        v += a.Brightness / 100.0;                                  // ±100 = all white / all black
        v = ((v - 0.5) * ContrastFactor(a.Contrast)) + 0.5;         // −100 = flat grey
        v = Math.Pow(Math.Clamp(v, 0, 1), Math.Pow(2, -a.Gamma / 50.0)); // +100 = v^0.25 (brighter mid-tones)
        v += a.Shadows / 100.0 * 0.25 * (1 - SmoothStep(0, 0.5, v)); // lifts only the darker half
        v += a.Highlights / 100.0 * 0.25 * SmoothStep(0.5, 1, v);    // high ≤ 0 pulls only the lighter half down
        v = Math.Clamp(v, 0, 1);
        return a.Invert ? 1 - v : v;
    }

    private static double ContrastFactor(int contrast) => contrast >= 0 ? 1 / (1 - (contrast / 100.0 * 0.99)) : 1 + (contrast / 100.0);

    private static double SmoothStep(double edge0, double edge1, double x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }

    /// <summary>The 0.5th and 99.5th percentile of the luminance, as 0–1.</summary>
    private static (double Low, double High) Levels(VipsImage image)
    {
        using var grey = image.Bands >= 3 ? image.Colourspace(Enums.Interpretation.Bw) : image.Linear([1], [0], uchar: true);
        using var luminance = grey.ExtractBand(0);
        var low = luminance.Percent(0.5);
        var high = luminance.Percent(99.5);
        return (low / 255.0, high / 255.0);
    }
}
