using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>usm (unsharp mask, radius usmrad) and nr/nrs (noise reduction that keeps edges).</summary>
internal static class Detail
{
    /// <summary>usm &gt; 0 sharpens with libvips sharpen (sigma = usmrad/2, strength up to m2 = 5); usm &lt; 0 softens with a gaussian of the same radius.</summary>
    public static VipsImage UnsharpMask(VipsImage image, Adjustments a)
    {
        if (a.UnsharpMask == 0 || a.UnsharpRadius <= 0)
        {
            return image;
        }

        var sigma = Math.Clamp(a.UnsharpRadius / 2, 0.3, 50);
        if (a.UnsharpMask < 0)
        {
            return image.Gaussblur(sigma * -a.UnsharpMask / 100.0 + 0.01);
        }

        var sharpened = image.Sharpen(sigma: sigma, m2: 5 * a.UnsharpMask / 100.0);
        try
        {
            // sharpen works in LabS; back to the common 8-bit layout (no profiles: already sRGB).
            return Decode.Replace(sharpened, ColorConversion.ToSrgb(sharpened, useProfiles: false));
        }
        catch
        {
            sharpened.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A sigma filter: each pixel takes its blurred value only where that differs from it by less than a threshold, so flat
    /// areas lose their grain and edges stay. nr sets the blur (sigma 0.5–4.5), nrs the threshold (higher keeps more edges).
    /// nr ≤ 0 does nothing (our choice: imgix's default of 20 is not applied to every image).
    /// </summary>
    public static VipsImage ReduceNoise(VipsImage image, Adjustments a)
    {
        if (a.NoiseReduction is not > 0)
        {
            return image;
        }

        var sigma = 0.5 + (a.NoiseReduction.Value / 25.0);
        var threshold = 10 + ((100 - (a.NoiseSharpen ?? 20)) / 4.0);
        using var memory = Materialize.Apply(image); // read twice below (docs/libvips.md §1)
        using var blurred = memory.Gaussblur(sigma);
        using var difference = memory.Subtract(blurred);
        using var distance = difference.Abs();
        using var flat = distance.LessThan(threshold);
        using var mixed = flat.IfThenElse(blurred, memory);
        return Bands.ToUChar(mixed);
    }
}
