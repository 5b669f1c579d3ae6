using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>After the crop, before the canvas (so padding stays crisp): gaussian blur and sharpening, both bounded.</summary>
internal static class Adjust
{
    /// <summary>imgix blur runs 0–2000; we map it linearly to a sigma of blur/10, capped by the server setting.</summary>
    public static double BlurSigma(double blur, double maxSigma) => blur <= 0 ? 0 : Math.Clamp(blur / 10, 0.3, maxSigma);

    public static VipsImage Blur(VipsImage image, TransformPlan plan, EncoderSettings settings)
    {
        var sigma = BlurSigma(plan.Blur, settings.MaxBlurSigma);
        return sigma <= 0 ? image : image.Gaussblur(sigma);
    }

    /// <summary>imgix sharp runs 0–100: a wider, stronger unsharp mask as it grows (libvips defaults are sigma 0.5, m2 3).</summary>
    public static VipsImage Sharpen(VipsImage image, TransformPlan plan)
    {
        if (plan.Sharpen <= 0)
        {
            return image;
        }

        var s = Math.Clamp(plan.Sharpen, 0, 100) / 100;
        var sharpened = image.Sharpen(sigma: 0.5 + s, m2: 1 + (4 * s));
        try
        {
            // sharpen works in LabS; bring the result back to the common 8-bit layout (no profiles: already sRGB).
            return Decode.Replace(sharpened, ColorConversion.ToSrgb(sharpened, useProfiles: false));
        }
        catch
        {
            sharpened.Dispose();
            throw;
        }
    }
}
