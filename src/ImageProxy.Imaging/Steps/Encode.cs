using ImageProxy.Imaging.Interop;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>The final step: the saver and its options per output format; metadata is always stripped.</summary>
internal static class Encode
{
    /// <summary>plan.Quality, else 45 with auto=compress, else 75 (the Transform rule, also honouring a decision-level auto=compress); 1–100.</summary>
    public static int Quality(TransformPlan plan, bool autoCompress) =>
        Math.Clamp(FormatChoice.EffectiveQuality(autoCompress ? plan with { AutoCompress = true } : plan, ImageFormat.Jpeg), 1, 100);

    /// <summary>
    /// chromasub: libvips offers 4:2:0 ("on") and 4:4:4 ("off") only, so 422 is encoded as 444 (never less colour detail than
    /// asked); null keeps the saver's own choice ("auto": 4:2:0 below q 90).
    /// </summary>
    public static VipsEnum? SubsampleMode(int? chroma) => chroma switch
    {
        420 => new VipsEnum("on"),
        422 or 444 => new VipsEnum("off"),
        _ => null,
    };

    /// <summary>Smallest PNG palette bit depth (1, 2, 4 or 8) holding <paramref name="colours"/>; 8 when not given.</summary>
    public static int PaletteBitDepth(int? colours) => colours switch
    {
        null or > 16 => 8,
        > 4 => 4,
        > 2 => 2,
        _ => 1,
    };

    public static byte[] Run(VipsImage image, ImageFormat format, TransformPlan plan, bool autoCompress, EncoderSettings settings)
    {
        var saver = VipsRuntime.SaverFor(format) ?? throw new ImagingException(TransformError.BadParameter("fm", $"{format} output is not supported"));
        var q = Quality(plan, autoCompress);
        var args = new VipsArguments().Set("in", image.Handle);

        switch (format)
        {
            case ImageFormat.Jpeg:
                args.Set("Q", q).Set("interlace", plan.Progressive).Set("optimize_coding", true)
                    .SetIfSupported("subsample_mode", SubsampleMode(plan.Encoding.ChromaSubsampling));
                break;
            case ImageFormat.Png:
                args.Set("compression", Math.Clamp(settings.PngCompression, 0, 9));
                if (plan.Encoding.Palette || plan.Encoding.ColorQuant is not null)
                {
                    // fm=png8 (or colorquant): a palette PNG quantised by libimagequant; the palette holds at most
                    // 2^bitdepth colours, so colorquant rounds up to 2, 4, 16 or 256.
                    args.Set("palette", true).Set("bitdepth", PaletteBitDepth(plan.Encoding.ColorQuant));
                }

                break;
            case ImageFormat.Gif:
                if (plan.Encoding.ColorQuant is { } colours)
                {
                    args.SetIfSupported("bitdepth", PaletteBitDepth(colours));
                }

                break;
            case ImageFormat.WebP:
                args.Set("Q", q).Set("lossless", plan.Lossless).SetIfSupported("effort", Math.Clamp(settings.WebpEffort, 0, 6));
                break;
            case ImageFormat.Avif:
            case ImageFormat.Heif:
                args.Set("compression", new VipsEnum(format == ImageFormat.Avif ? "av1" : "hevc"))
                    .Set("Q", q).Set("lossless", plan.Lossless)
                    .SetIfSupported("subsample_mode", SubsampleMode(plan.Encoding.ChromaSubsampling))
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
