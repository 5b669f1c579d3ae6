using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Animated GIF and WebP sources: the kept frames (<see cref="AnimationSpec.Select"/>) each run the whole still
/// pipeline, so every parameter means the same on a frame as on a still; they are then stacked into one tall image with
/// page-height, delays and loop count, which gifsave and webpsave write as an animation. An output that cannot animate
/// (JPEG, PNG, AVIF) gets the first kept frame.
/// </summary>
internal static class Animation
{
    /// <summary>Frame delay when the source names none (GIF's customary 10 cs).</summary>
    private const int DefaultDelayMilliseconds = 100;

    /// <summary>Animated GIF and WebP only: a multi-page TIFF or HEIF is a document of pages, not frames (its first page renders).</summary>
    public static bool Applies(SourceFacts facts) => facts.Pages > 1 && facts.Format is ImageFormat.Gif or ImageFormat.WebP;

    public static RenderResult Render(
        byte[] source, SourceFacts facts, TransformPlan plan, ImageFormat output, Limits limits, bool autoCompress,
        EncoderSettings settings, CancellationToken cancellationToken, OverlayImages? overlays)
    {
        if (facts.Pages > limits.MaxSourceFrames)
        {
            throw new ImagingException(TransformError.Unprocessable(
                $"The source image has {facts.Pages} frames, over the limit of {limits.MaxSourceFrames} (MaxSourceFrames)."));
        }

        if ((long)facts.Pages * facts.Width * facts.Height > limits.MaxAnimationPixels)
        {
            throw new ImagingException(TransformError.Unprocessable(
                $"The source animation holds {facts.Pages} × {facts.Width}×{facts.Height} pixels, over the limit of {limits.MaxAnimationPixels} (MaxAnimationPixels)."));
        }

        var kept = plan.Animation.Select(facts.Pages);
        if (kept.Count == 0)
        {
            throw new ImagingException(TransformError.BadParameter("frame", $"selects no frame of this {facts.Pages}-frame image"));
        }

        var animates = output is ImageFormat.Gif or ImageFormat.WebP;
        if (!animates)
        {
            kept = [kept[0]];
        }

        using var input = Source.NewFromMemory(source);
        using var all = Load(input, facts);
        var pageHeight = all.Contains("page-height") && all.Get("page-height") is int ph and > 0 ? ph : all.Height;
        var frameFacts = new SourceFacts(all.Width, pageHeight, 1, 1, ImageFormat.Png, all.HasAlpha());
        var geometry = Geometry.Resolve(plan.Border.IsDrawn ? plan with { Pad = Sum(plan.Pad, plan.Border.Width) } : plan, frameFacts, limits);
        if (!geometry.IsOk)
        {
            throw new ImagingException(geometry.Error!);
        }

        var g = geometry.Value!;
        if ((long)kept.Count * g.OutputWidth * g.OutputHeight > limits.MaxAnimationPixels)
        {
            throw new ImagingException(TransformError.Unprocessable(
                $"{kept.Count} frames of {g.OutputWidth}×{g.OutputHeight} pixels are over the limit of {limits.MaxAnimationPixels} (MaxAnimationPixels); ask for fewer frames or a smaller size."));
        }

        var delays = all.Contains("delay") && all.Get("delay") is int[] d ? d : [];
        var frames = new List<VipsImage>(kept.Count);
        try
        {
            foreach (var index in kept)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Each frame goes through the still pipeline as an uncompressed PNG: the pipeline starts from encoded bytes
                // (shrink-on-load), and store-only PNG costs a copy, not a compression.
                using var frame = all.ExtractArea(0, index * pageHeight, all.Width, pageHeight);
                var bytes = frame.PngsaveBuffer(compression: 0, keep: Enums.ForeignKeep.None);
                frames.Add(PlanExecutor.Pipeline(bytes, frameFacts, g, plan, output, settings, cancellationToken, overlays));
            }

            using var strip = frames.Count == 1 ? frames[0].Copy() : VipsImage.Arrayjoin([.. frames], across: 1);
            var frameHeight = frames[0].Height;
            var timing = kept.Select(i => plan.Animation.Fps is { } fps ? 1000 / fps : i < delays.Length && delays[i] > 0 ? delays[i] : DefaultDelayMilliseconds).ToArray();
            var loop = plan.Animation.Loop ?? (all.Contains("loop") && all.Get("loop") is int l ? l : 0);
            using var animation = strip.Mutate(m =>
            {
                if (animates)
                {
                    m.Set(GValue.GIntType, "page-height", frameHeight);
                    m.Set(GValue.ArrayIntType, "delay", timing);
                    m.Set(GValue.GIntType, "loop", loop);
                }
                else
                {
                    foreach (var field in new[] { "page-height", "delay", "loop", "n-pages" })
                    {
                        if (m.Contains(field))
                        {
                            m.Remove(field);
                        }
                    }
                }
            });
            var encoded = Encode.Apply(animation, output, plan, autoCompress, settings);
            return new RenderResult(encoded, output, frames[0].Width, frameHeight)
            {
                Quality = BudgetEncode.HasQuality(output, plan) ? Encode.Quality(plan, autoCompress) : null,
            };
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>Every frame at once (n=-1), as one tall image; the pixel budget was checked first.</summary>
    private static VipsImage Load(Source input, SourceFacts facts)
    {
        var loader = VipsRuntime.LoaderFor(facts.Format) ?? throw new ImagingException(PlanExecutor.Unsupported);
        try
        {
            return (VipsImage)Operation.Call(loader, new VOption { { "n", -1 }, { "fail_on", Enums.FailOn.Truncated } }, input);
        }
        catch (VipsException e)
        {
            throw new ImagingException(Materialize.Undecodable, e);
        }
    }

    private static Padding Sum(Padding a, Padding b) => new(a.Top + b.Top, a.Right + b.Right, a.Bottom + b.Bottom, a.Left + b.Left);
}
