using ImageProxy.Imaging.Faces;
using ImageProxy.Imaging.Documents;
using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging;

/// <summary>
/// Runs one plan on one source image with libvips, in the fixed order of <see cref="ResolvedGeometry"/>:
/// probe → decode with shrink-on-load (orient, flip, region, resize) → colour to 8-bit sRGB → crop → blur/sharpen →
/// canvas → pad → rotate → flatten (when the output has no alpha) → materialise → encode.
/// </summary>
public static class PlanExecutor
{
    internal static readonly TransformError Unsupported = TransformError.Unprocessable("source is not a supported image");

    /// <summary>Header-only read (no pixel decode). Throws <see cref="ImagingException"/> (422) when the bytes are not a supported image.</summary>
    public static SourceFacts Probe(byte[] source)
    {
        VipsRuntime.EnsureInitialized();
        return Steps.Probe.Run(source);
    }

    /// <summary>
    /// Probe → limits check → <see cref="Geometry.Resolve"/> → steps → encode. Synchronous; checks
    /// <paramref name="cancellationToken"/> between steps. Throws <see cref="ImagingException"/> for client-visible refusals.
    /// </summary>
    public static RenderResult Render(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, CancellationToken cancellationToken = default)
        => Render(source, plan, format, limits, EncoderSettings.Default, cancellationToken);

    /// <summary>As <see cref="Render(byte[], TransformPlan, FormatDecision, Limits, CancellationToken)"/>, with server encoder settings.</summary>
    public static RenderResult Render(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, EncoderSettings settings, CancellationToken cancellationToken = default)
        => Render(source, plan, format, limits, settings, faces: null, overlays: null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="faces"/> finds the faces when the plan's geometry depends on them (crop=faces,
    /// fit=facearea; null = detection off for this source: the crops' fallbacks apply), and <paramref name="overlays"/>
    /// holds the bytes of the images <c>mask</c>, <c>mark</c> and <c>blend</c> name (fetched by the caller through the origin).
    /// </summary>
    public static RenderResult Render(
        byte[] source, TransformPlan plan, FormatDecision format, Limits limits, EncoderSettings settings, FaceFinder? faces,
        OverlayImages? overlays = null, CancellationToken cancellationToken = default)
    {
        if (source.LongLength > limits.MaxSourceBytes)
        {
            throw new ImagingException(TransformError.TooLarge("source image is too large"));
        }

        // A PDF page becomes a PNG first (or a clear 422); overlay images are never PDFs; the text step gets device pixels
        // and the source's markup switch.
        source = Steps.Pdf.LooksLikePdf(source) ? Steps.Pdf.Rasterize(source, plan, limits) : source;
        overlays ??= OverlayImages.None;
        Steps.Pdf.RefuseOverlay(overlays.Mask, "mask");
        Steps.Pdf.RefuseOverlay(overlays.Mark, "mark");
        Steps.Pdf.RefuseOverlay(overlays.Blend, "blend");
        plan = plan.Text.Text is null ? plan : plan with { Text = plan.Text.AtDensity(plan.Dpr) with { Markup = limits.TextMarkup } };
        if (!plan.WantsDocument || plan.Document != DocumentOutput.Json)
        {
            overlays.Check(plan, limits);
        }

        var facts = Probe(source);
        if (plan.Document == DocumentOutput.Json && plan.Palette.Format == PaletteFormat.None)
        {
            // The metadata document describes the original from its header alone: no pixel is decoded.
            // With faces=1 the detector's boxes come from its cache (one detection per original).
            var boxes = plan.JsonFaces && faces is not null ? faces.Find(source) : null;
            return new RenderResult(MetadataDocument.Build(source, facts, boxes), facts.Format, facts.Width, facts.Height) { ContentType = "application/json" };
        }

        plan = DocumentRenderer.ForDocument(plan);
        var output = FormatChoice.Resolve(format, facts, VipsRuntime.CanSave);
        if (Animation.Applies(facts) && !plan.WantsDocument)
        {
            return Animation.Render(source, facts, plan, output, limits, format.CompressAuto || plan.AutoCompress, settings, cancellationToken, overlays);
        }

        // trim happens before everything else: it becomes the rect, so sizing works on the trimmed picture. The border
        // takes room like pad does, so w×h still bounds the output.
        plan = Trim.ToRect(source, facts, plan);
        var sized = plan.Border.IsDrawn ? plan with { Pad = Add(plan.Pad, plan.Border.Width) } : plan;
        var found = plan.NeedsFaces && faces is not null ? Mirror(faces.Find(source), plan, facts) : [];
        var geometry = Geometry.Resolve(sized, facts, limits, found);
        if (!geometry.IsOk)
        {
            throw new ImagingException(geometry.Error!);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Execute(source, facts, geometry.Value!, plan, output, format.CompressAuto || plan.AutoCompress, settings, cancellationToken, found, overlays);
    }

    private static Padding Add(Padding a, Padding b) => new(a.Top + b.Top, a.Right + b.Right, a.Bottom + b.Bottom, a.Left + b.Left);

    private static Padding Subtract(Padding a, Padding b) =>
        new(Math.Max(0, a.Top - b.Top), Math.Max(0, a.Right - b.Right), Math.Max(0, a.Bottom - b.Bottom), Math.Max(0, a.Left - b.Left));

    /// <summary>The step list for an already resolved geometry and output format (tests drive it with hand-made geometry).</summary>
    internal static RenderResult Execute(
        byte[] source, SourceFacts facts, ResolvedGeometry g, TransformPlan plan, ImageFormat output, bool autoCompress,
        EncoderSettings settings, CancellationToken cancellationToken, IReadOnlyList<PixelRect>? faces = null, OverlayImages? overlays = null)
    {
        using var image = Pipeline(source, facts, g, plan, output, settings, cancellationToken, overlays, faces);
        if (plan.WantsDocument)
        {
            return DocumentRenderer.Describe(image, plan);
        }

        if (plan.Budget.MaxBytes is { } maxBytes)
        {
            var fitted = BudgetEncode.Apply(image, output, plan, autoCompress, settings, maxBytes);
            return new RenderResult(fitted.Bytes, output, fitted.Width, fitted.Height) { Quality = fitted.Quality, ShrunkForBudget = fitted.Shrunk };
        }

        var bytes = Encode.Apply(image, output, plan, autoCompress, settings);
        return new RenderResult(bytes, output, image.Width, image.Height)
        {
            Quality = BudgetEncode.HasQuality(output, plan) ? Encode.Quality(plan, autoCompress) : null,
        };
    }

    /// <summary>Every step before encoding; the result is materialised (in memory, independent of <paramref name="source"/>).</summary>
    internal static VipsImage Pipeline(
        byte[] source, SourceFacts facts, ResolvedGeometry g, TransformPlan plan, ImageFormat output,
        EncoderSettings settings, CancellationToken cancellationToken, OverlayImages? overlays = null, IReadOnlyList<PixelRect>? faces = null)
    {
        var alpha = output.CarriesAlpha();
        // Canvas and pad default to transparent where the format keeps alpha, else white (TransformPlan.Background/FillColor).
        var padColor = plan.Background ?? (alpha ? Rgba.TransparentWhite : Rgba.White);
        var fillColor = plan.FillColor ?? padColor;

        // Zero-copy input: NetVips pins the array for the source's lifetime, and every image of the pipeline reads through
        // it, so it is disposed last (after the images, in the finally below). Passing the byte[] itself would copy it
        // into a libvips blob and report that copy to the GC as memory pressure, which forces a gen-2 collection every
        // few renders (measured: docs/benchmarks.md, issue 10).
        using var input = Source.NewFromMemory(source);
        var image = Decode.Apply(input, facts, g);
        try
        {
            // cs=origin keeps an RGB or grey source's own profile: its pixels then stay in that space (no conversion
            // there and back); iptc=allow keeps the source's IPTC block. Both are read here, before steps replace the image.
            var originProfile = plan.Encoding.ColorSpace == OutputColorSpace.Origin ? OutputProfile.KeepableProfile(image) : null;
            var metadata = new OutputProfile.SourceMetadata(originProfile, OutputProfile.SourceIptc(image, plan.Encoding));
            Step(ref image, i => ColorConversion.ToSrgb(i, useProfiles: originProfile is null), cancellationToken);
            if (faces is { Count: > 0 })
            {
                Step(ref image, i => FaceMask.Apply(i, faces, g, plan), cancellationToken);
            }

            Step(ref image, i => Crop.Apply(i, g), cancellationToken);
            // The effects below read their input more than once (bands split and joined, masks, composites); on the lazy
            // one-shot pipeline each read would decode again, so give them the small cropped picture in memory (docs/libvips.md §1).
            if (HasEffects(plan))
            {
                Step(ref image, Materialize.Apply, cancellationToken);
            }

            // Adjustments on the small, cropped picture: tone (auto=enhance, exp, bri, con, gam, shad, high, invert),
            // then colour (sat, vib, hue), then noise reduction before any sharpening.
            Step(ref image, i => Tone.Apply(i, plan), cancellationToken);
            Step(ref image, i => Colorfulness.Apply(i, plan.Adjust), cancellationToken);
            Step(ref image, i => Detail.ReduceNoise(i, plan.Adjust), cancellationToken);
            Step(ref image, i => Adjust.Blur(i, plan, settings), cancellationToken);
            Step(ref image, i => Adjust.Sharpen(i, plan), cancellationToken);
            Step(ref image, i => Detail.UnsharpMask(i, plan.Adjust), cancellationToken);
            // Stylize: monochrome, sepia, duotone, halftone, pixelate.
            Step(ref image, i => Steps.Stylize.Monochrome(i, plan.Style), cancellationToken);
            Step(ref image, i => Steps.Stylize.Sepia(i, plan.Style), cancellationToken);
            Step(ref image, i => Steps.Stylize.Duotone(i, plan.Style), cancellationToken);
            Step(ref image, i => Steps.Stylize.Halftone(i, plan.Style), cancellationToken);
            Step(ref image, i => Steps.Stylize.Pixelate(i, plan.Style), cancellationToken);
            Step(ref image, i => g.CanvasFill == CanvasFill.Gradient && NeedsCanvas(i, g) ? Gradient.Canvas(i, g, plan.Gradient) : Canvas.Apply(i, g, fillColor, alpha), cancellationToken);
            // The blend layer colours the whole picture (canvas included), then the mask shapes it, the border frames it,
            // pad goes around both.
            Step(ref image, i => Blend.Apply(i, plan.Blend, overlays?.Blend), cancellationToken);
            Step(ref image, i => Mask.Apply(i, plan.Mask, overlays?.Mask), cancellationToken);
            Step(ref image, i => Border.Apply(i, plan.Border), cancellationToken);
            var pad = plan.Border.IsDrawn ? Subtract(g.Pad, plan.Border.Width) : g.Pad;
            Step(ref image, i => Pad.Apply(i, pad, padColor, alpha), cancellationToken);
            Step(ref image, i => FocalDebug.Apply(i, plan, g, Add(pad, plan.Border.IsDrawn ? plan.Border.Width : Padding.None)), cancellationToken);
            Step(ref image, i => Rotate.Apply(i, g.Rotation, padColor, alpha, plan.RotationType), cancellationToken);
            // The watermark and then the text go over the finished picture (after rotation, so they stay level), before
            // alpha is flattened.
            Step(ref image, i => Watermark.Apply(i, plan.Watermark, overlays?.Mark), cancellationToken);
            Step(ref image, i => Text.Apply(i, plan.Text), cancellationToken);
            Step(ref image, i => Flatten.Apply(i, output, plan.Background), cancellationToken);
            if (plan.Encoding.Dpi is { } dpi)
            {
                Step(ref image, i => i.WithDpi(dpi), cancellationToken);
            }

            Step(ref image, i => OutputProfile.Apply(i, plan.Encoding, output, metadata), cancellationToken);

            // Pull every pixel now: decode failures surface here as a 422 (docs/libvips.md §2), not inside the saver, and webpsave
            // in libvips < 8.15.4 leaks the whole pipeline when its input fails (docs/libvips.md §3). After this, a failure is the saver's.
            Step(ref image, Materialize.Apply, cancellationToken);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static bool HasEffects(TransformPlan plan) =>
        plan.Adjust != Adjustments.None || plan.Style != Transform.Stylize.None || plan.AutoEnhance
        || plan.Mask.Kind != MaskKind.None || plan.Blend.IsActive || plan.Border.IsDrawn || plan.FocalPointDebug || plan.Fill == FillMode.Gradient;

    private static bool NeedsCanvas(VipsImage image, ResolvedGeometry g) =>
        g.CanvasWidth > 0 && g.CanvasHeight > 0 && (g.CanvasWidth != image.Width || g.CanvasHeight != image.Height || g.PictureX != 0 || g.PictureY != 0);

    /// <summary>
    /// The detector's boxes (EXIF-oriented source) in the frame the geometry and the decoder use: flipped by <c>flip</c>.
    /// Under an <c>orient</c> override the frame is another one, and faces are not mapped (none are used).
    /// </summary>
    private static IReadOnlyList<PixelRect> Mirror(IReadOnlyList<PixelRect> faces, TransformPlan plan, SourceFacts facts)
    {
        var orientation = Geometry.EffectiveOrientation(plan.Orientation, facts.Orientation);
        if (faces.Count == 0 || orientation != Geometry.EffectiveOrientation(null, facts.Orientation))
        {
            return [];
        }

        var swap = SourceFacts.SwapsAxes(orientation);
        var (width, height) = swap ? (facts.Height, facts.Width) : (facts.Width, facts.Height);
        return faces.Select(f => f with
        {
            X = plan.Flip.HasFlag(FlipMode.Horizontal) ? width - f.X - f.Width : f.X,
            Y = plan.Flip.HasFlag(FlipMode.Vertical) ? height - f.Y - f.Height : f.Y,
        }).ToList();
    }

    private static void Step(ref VipsImage image, Func<VipsImage, VipsImage> step, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        image = Decode.Replace(image, step(image));
    }
}
