using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>The final step: the saver and its options per output format; metadata is stripped unless cs or iptc keep some.</summary>
internal static class Encode
{
    /// <summary>
    /// No metadata in any output. NetVips sends this as keep=none on libvips 8.15+ and as strip=true on 8.14 (Debian's
    /// build), where keep does not exist yet.
    /// </summary>
    private const Enums.ForeignKeep NoMetadata = Enums.ForeignKeep.None;

    /// <summary>
    /// What the saver keeps: nothing, or (cs, iptc) the ICC profile and IPTC block <see cref="OutputProfile"/> left on the
    /// picture, which has removed everything else of the source's.
    /// </summary>
    private static Enums.ForeignKeep Keep(TransformPlan plan, ImageFormat format) =>
        (OutputProfile.EmbedsProfile(plan.Encoding) ? Enums.ForeignKeep.Icc : NoMetadata)
        | (OutputProfile.KeepsIptc(plan.Encoding, format) ? Enums.ForeignKeep.Iptc : NoMetadata);

    /// <summary>plan.Quality, else 45 with auto=compress, else 75 (the Transform rule, also honouring a decision-level auto=compress); 1–100.</summary>
    public static int Quality(TransformPlan plan, bool autoCompress) =>
        Math.Clamp(FormatChoice.EffectiveQuality(autoCompress ? plan with { AutoCompress = true } : plan, ImageFormat.Jpeg), 1, 100);

    /// <summary>
    /// chromasub: libvips offers 4:2:0 ("on") and 4:4:4 ("off") only, so 422 is encoded as 444 (never less colour detail than
    /// asked); null keeps the saver's own choice ("auto": 4:2:0 below q 90).
    /// </summary>
    public static Enums.ForeignSubsample? SubsampleMode(int? chroma) => chroma switch
    {
        420 => Enums.ForeignSubsample.On,
        422 or 444 => Enums.ForeignSubsample.Off,
        _ => null,
    };

    /// <summary>Smallest PNG palette bit depth (1, 2, 4 or 8) holding <paramref name="colors"/>; 8 when not given.</summary>
    public static int PaletteBitDepth(int? colors) => colors switch
    {
        null or > 16 => 8,
        > 4 => 4,
        > 2 => 2,
        _ => 1,
    };

    public static byte[] Apply(VipsImage image, ImageFormat format, TransformPlan plan, bool autoCompress, EncoderSettings settings)
    {
        if (VipsRuntime.SaverFor(format) is null)
        {
            throw new ImagingException(TransformError.BadParameter("fm", $"{format} output is not supported"));
        }

        var q = Quality(plan, autoCompress);
        var keep = Keep(plan, format);
        if (format == ImageFormat.Jpeg && plan.Encoding.Dpi is not null)
        {
            return JpegWithDpi(image, q, plan, keep);
        }

        return format switch
        {
            ImageFormat.Jpeg => image.JpegsaveBuffer(
                q: q, interlace: plan.Progressive, optimizeCoding: true, subsampleMode: SubsampleMode(plan.Encoding.ChromaSubsampling), keep: keep),
            // fm=png8 (or colorquant): a palette PNG quantised by libimagequant at 2, 4, 16 or 256 colours (the bit depths);
            // ColorReduction brings any other colorquant down to exactly that many at most.
            ImageFormat.Png when plan.Encoding.Palette || plan.Encoding.ColorQuant is not null => ColorReduction.Save(image, plan.Encoding.ColorQuant, (picture, dither) =>
                picture.PngsaveBuffer(
                    compression: Math.Clamp(settings.PngCompression, 0, 9), palette: true, bitdepth: PaletteBitDepth(plan.Encoding.ColorQuant), dither: dither, keep: keep)),
            ImageFormat.Png => image.PngsaveBuffer(compression: Math.Clamp(settings.PngCompression, 0, 9), keep: keep),
            ImageFormat.WebP => image.WebpsaveBuffer(q: q, lossless: plan.Lossless, effort: Math.Clamp(settings.WebpEffort, 0, 6), keep: keep),
            ImageFormat.Gif => ColorReduction.Save(image, plan.Encoding.ColorQuant, (picture, dither) =>
                picture.GifsaveBuffer(dither: dither, bitdepth: plan.Encoding.ColorQuant is { } colors ? PaletteBitDepth(colors) : null, keep: keep)),
            ImageFormat.Avif or ImageFormat.Heif => image.HeifsaveBuffer(
                q: q,
                lossless: plan.Lossless,
                compression: format == ImageFormat.Avif ? Enums.ForeignHeifCompression.Av1 : Enums.ForeignHeifCompression.Hevc,
                effort: Math.Clamp(settings.AvifEffort, 0, 9),
                subsampleMode: SubsampleMode(plan.Encoding.ChromaSubsampling),
                keep: keep),
            ImageFormat.Jxl => image.JxlsaveBuffer(q: q, lossless: plan.Lossless, effort: Math.Clamp(settings.JxlEffort, 1, 9), keep: keep),
            _ => throw new ImagingException(TransformError.BadParameter("fm", $"{format} output is not supported")),
        };
    }

    /// <summary>
    /// dpi in a JPEG: libvips writes no JFIF density, only an EXIF resolution, so we keep EXIF, but from a copy with every
    /// source EXIF field (GPS, camera, orientation, …) removed first: libvips then writes a fresh EXIF block holding just the
    /// resolution, and no orientation tag that would turn the already upright picture again.
    /// </summary>
    private static byte[] JpegWithDpi(VipsImage image, int q, TransformPlan plan, Enums.ForeignKeep keep)
    {
        using var clean = image.Mutate(m =>
        {
            foreach (var field in m.GetFields())
            {
                // The profile and IPTC block are only still there when cs or iptc asked for them (OutputProfile).
                if (field.StartsWith("exif", StringComparison.Ordinal) || field is "orientation" or "xmp-data"
                    || (field is "iptc-data" && !keep.HasFlag(Enums.ForeignKeep.Iptc)) || (field is "icc-profile-data" && !keep.HasFlag(Enums.ForeignKeep.Icc)))
                {
                    m.Remove(field);
                }
            }
        });
        return clean.JpegsaveBuffer(
            q: q, interlace: plan.Progressive, optimizeCoding: true, subsampleMode: SubsampleMode(plan.Encoding.ChromaSubsampling), keep: Enums.ForeignKeep.Exif | keep);
    }
}
