using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// sat, vib and hue in LCh, where they are one band each: saturation scales chroma (−100 = C 0, so R = G = B), vibrance
/// scales it more for dull colours than for vivid ones, hue turns the hue angle.
/// </summary>
internal static class Colourfulness
{
    /// <summary>Chroma at which vibrance stops adding (a vivid sRGB colour).</summary>
    private const double VividChroma = 130;

    public static VipsImage Apply(VipsImage image, Adjustments a)
    {
        if (a.Saturation == 0 && a.Vibrance == 0 && a.Hue == 0)
        {
            return image;
        }

        return Bands.OnColour(image, colour =>
        {
            using var lch = colour.Colourspace(Enums.Interpretation.Lch);
            using var l = lch.ExtractBand(0);
            using var c = lch.ExtractBand(1);
            using var h = lch.ExtractBand(2);
            var s = 1 + (a.Saturation / 100.0);
            using var saturated = c.Linear([s], [0]);
            // vibrance: C' = C·(1 + v·(1 − C/130)) = C + v·C − (v/130)·C²; applied on top of saturation.
            var v = a.Vibrance / 100.0;
            using var squared = saturated.Multiply(saturated);
            using var dull = squared.Linear([-v / VividChroma], [0]);
            using var boosted = saturated.Linear([1 + v], [0]);
            using var vivid = boosted.Add(dull);
            using var chroma = vivid.Linear([1], [0]).Max0();
            using var hue = h.Linear([1], [a.Hue]);
            using var lc = l.BandJoin(chroma);
            using var joined = lc.BandJoin(hue);
            using var tagged = joined.Tagged(Enums.Interpretation.Lch);
            return tagged.Colourspace(Enums.Interpretation.Srgb);
        });
    }
}
