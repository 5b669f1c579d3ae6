using ImageProxy.Imaging.Interop;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>The final step: the saver and its options per output format; metadata is always stripped.</summary>
internal static class Encode
{
    /// <summary>plan.Quality, else 45 with auto=compress, else 75 (the Transform rule, also honouring a decision-level auto=compress); 1–100.</summary>
    public static int Quality(TransformPlan plan, bool autoCompress) =>
        Math.Clamp(FormatChoice.EffectiveQuality(autoCompress ? plan with { AutoCompress = true } : plan, ImageFormat.Jpeg), 1, 100);

    public static byte[] Run(VipsImage image, ImageFormat format, TransformPlan plan, bool autoCompress, EncoderSettings settings)
    {
        var saver = VipsRuntime.SaverFor(format) ?? throw new ImagingException(TransformError.BadParameter("fm", $"{format} output is not supported"));
        var q = Quality(plan, autoCompress);
        var args = new VipsArguments().Set("in", image.Handle);

        switch (format)
        {
            case ImageFormat.Jpeg:
                args.Set("Q", q).Set("interlace", plan.Progressive).Set("optimize_coding", true);
                break;
            case ImageFormat.Png:
                args.Set("compression", Math.Clamp(settings.PngCompression, 0, 9));
                break;
            case ImageFormat.WebP:
                args.Set("Q", q).Set("lossless", plan.Lossless).SetIfSupported("effort", Math.Clamp(settings.WebpEffort, 0, 6));
                break;
            case ImageFormat.Avif:
            case ImageFormat.Heif:
                args.Set("compression", new VipsEnum(format == ImageFormat.Avif ? "av1" : "hevc"))
                    .Set("Q", q).Set("lossless", plan.Lossless)
                    .SetIfSupported("effort", Math.Clamp(settings.AvifEffort, 0, 9));
                break;
            case ImageFormat.Jxl:
                args.Set("Q", q).Set("lossless", plan.Lossless).SetIfSupported("effort", Math.Clamp(settings.JxlEffort, 1, 9));
                break;
        }

        // 8.15+ has keep (flags; 0 = none) and deprecates strip; 8.14 only has strip. Set whichever this build has.
        if (VipsCall.HasArgument(saver, "keep"))
        {
            args.Set("keep", new VipsFlags(0));
        }
        else if (VipsCall.HasArgument(saver, "strip"))
        {
            args.Set("strip", true);
        }

        return VipsCall.Blob(saver, args);
    }
}
