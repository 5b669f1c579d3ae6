namespace ImageProxy.Transform;

/// <summary>Chooses the output format from fm/auto and the Accept header (docs/web.md, imgix: Formats).</summary>
/// <remarks>
/// <list type="bullet">
/// <item>auto=format: AVIF if Accept lists image/avif (q&gt;0) and the build can write it, else WebP likewise,
///       else the fallback; Accept mattered even when the fallback is taken (responses need Vary: Accept).</item>
/// <item>Fallback: with auto=compress, PNG (source has alpha) or JPEG, settled in <see cref="Resolve"/>;
///       otherwise fm, or "same as source".</item>
/// <item>auto=compress overrides fm for still images only; for an animated source (Pages &gt; 1) fm or the source format is kept.</item>
/// <item>An explicit fm this build cannot write is always a 400 (even if negotiation might avoid it), so the answer never depends on Accept.</item>
/// </list>
/// </remarks>
public static class FormatChoice
{
    /// <summary>Default lossy quality (imgix q default).</summary>
    public const int DefaultQuality = 75;

    /// <summary>Quality used with auto=compress when q is not given.</summary>
    public const int CompressQuality = 45;

    /// <summary>
    /// Before the source is read. <paramref name="canWrite"/> says which formats the loaded libvips can save;
    /// an explicit fm it cannot write is a 400 naming fm.
    /// </summary>
    public static Result<FormatDecision> Choose(TransformPlan plan, string? acceptHeader, Func<ImageFormat, bool> canWrite)
    {
        if (plan.Format is { } explicitFormat && !CanWrite(canWrite, explicitFormat))
        {
            return new TransformError(400, $"fm={FormatParameterText(explicitFormat, plan.Progressive)} is not supported by this server's libvips build");
        }

        if (plan.WantsDocument)
        {
            // A document (fm=json, fm=blurhash, palette) is the same whatever the browser accepts.
            return new FormatDecision(null, AcceptMattered: false);
        }

        if (plan.AutoFormat)
        {
            var accepted = AcceptClass(acceptHeader);
            var webp = (accepted & AcceptsWebP) != 0 && CanWrite(canWrite, ImageFormat.WebP);
            // An animated source keeps its animation: AVIF output here is a still, so WebP when accepted, else GIF
            // (or the explicit fm fallback).
            var animated = webp ? ImageFormat.WebP : plan.Format ?? ImageFormat.Gif;
            if ((accepted & AcceptsAvif) != 0 && CanWrite(canWrite, ImageFormat.Avif))
            {
                return new FormatDecision(ImageFormat.Avif, AcceptMattered: true, AnimatedFormat: animated);
            }

            if (webp)
            {
                return new FormatDecision(ImageFormat.WebP, AcceptMattered: true, AnimatedFormat: animated);
            }

            return new FormatDecision(plan.Format, AcceptMattered: true, CompressAuto: plan.AutoCompress, AnimatedFormat: animated);
        }

        return new FormatDecision(plan.Format, AcceptMattered: false, CompressAuto: plan.AutoCompress);
    }

    /// <summary>Bit of <see cref="AcceptClass"/>: image/avif is listed with q &gt; 0.</summary>
    public const int AcceptsAvif = 1;

    /// <summary>Bit of <see cref="AcceptClass"/>: image/webp is listed with q &gt; 0.</summary>
    public const int AcceptsWebP = 2;

    /// <summary>
    /// All that <see cref="Choose"/> reads from an Accept header, as a number from 0 to 3: two headers with the
    /// same class get the same format, so a cache of answers can key on the class instead of the header text.
    /// </summary>
    public static int AcceptClass(string? acceptHeader) =>
        (AcceptHeader.Accepts(acceptHeader, ImageFormat.Avif.ContentType()) ? AcceptsAvif : 0)
        | (AcceptHeader.Accepts(acceptHeader, ImageFormat.WebP.ContentType()) ? AcceptsWebP : 0);

    /// <summary>After the header read: settles "same as source" (and auto=compress) into a format the saver can write.</summary>
    public static ImageFormat Resolve(FormatDecision decision, SourceFacts source, Func<ImageFormat, bool> canWrite)
    {
        if (source.Pages > 1 && decision.AnimatedFormat is { } animated && CanWrite(canWrite, animated))
        {
            return animated;
        }

        if (decision.CompressAuto && source.Pages <= 1)
        {
            return CompressFallback(source.HasAlpha, canWrite);
        }

        if (decision.Format is { } format)
        {
            return format;
        }

        var sameAsSource = source.Format is ImageFormat.Jpeg or ImageFormat.Png or ImageFormat.WebP
            or ImageFormat.Avif or ImageFormat.Gif or ImageFormat.Jxl;
        return sameAsSource && CanWrite(canWrite, source.Format) ? source.Format : CompressFallback(source.HasAlpha, canWrite);
    }

    /// <summary>Quality for a lossy encode: q, else 45 with auto=compress, else 75.</summary>
    public static int EffectiveQuality(TransformPlan plan, ImageFormat format) =>
        plan.Quality ?? (plan.AutoCompress ? CompressQuality : DefaultQuality);

    /// <summary>The fm value that selects <paramref name="format"/> (pjpg for progressive JPEG).</summary>
    public static string FormatParameterText(ImageFormat format, bool progressive) => format switch
    {
        ImageFormat.Jpeg => progressive ? "pjpg" : "jpg",
        _ => format.ToString().ToLowerInvariant(),
    };

    /// <summary>PNG keeps transparency, JPEG is smaller for everything else; if the build lacks one, the other.</summary>
    private static ImageFormat CompressFallback(bool hasAlpha, Func<ImageFormat, bool> canWrite)
    {
        var preferred = hasAlpha ? ImageFormat.Png : ImageFormat.Jpeg;
        var other = hasAlpha ? ImageFormat.Jpeg : ImageFormat.Png;
        return CanWrite(canWrite, preferred) || !CanWrite(canWrite, other) ? preferred : other;
    }

    // fm=json is written by us, not by libvips.
    private static bool CanWrite(Func<ImageFormat, bool>? canWrite, ImageFormat format) =>
        canWrite is null || canWrite(format);
}
