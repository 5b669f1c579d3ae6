using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging;

/// <summary>
/// imgix's typesetting endpoint <c>/~text</c>: an image made of the text alone, no source image. Sized by <c>w</c> and
/// <c>h</c> (pixels), else by txt-width, else by the text itself, plus txt-pad, all times <c>dpr</c>; <c>bg</c> fills it
/// (transparent by default).
/// </summary>
public static class TextImage
{
    public static RenderResult Render(TransformPlan plan, FormatDecision format, Limits limits, EncoderSettings settings, CancellationToken cancellationToken = default)
    {
        VipsRuntime.EnsureInitialized();
        if (plan.Text.Text is null)
        {
            throw new ImagingException(TransformError.BadParameter("txt", "/~text needs the text to set (txt or txt64)"));
        }

        // dpr multiplies the size and every txt-* length, as on a picture.
        var width = Pixels(plan.Width, "w") is { } w ? (int?)Math.Round(w * plan.Dpr) : null;
        var height = Pixels(plan.Height, "h") is { } h ? (int?)Math.Round(h * plan.Dpr) : null;
        if ((long)(width ?? 1) * (height ?? 1) > limits.MaxOutputPixels)
        {
            throw new ImagingException(TransformError.TooLarge("w × h is larger than this server's output limit"));
        }

        // "Same as source" has no source here: PNG keeps the transparent background.
        var output = FormatChoice.Resolve(format, new SourceFacts(1, 1, 1, 1, ImageFormat.Png, HasAlpha: true), VipsRuntime.CanSave);
        var spec = plan.Text.AtDensity(plan.Dpr) with { Markup = limits.TextMarkup };
        var background = plan.Background ?? Rgba.TransparentWhite;
        var image = Text.Typeset(spec, width, height, background, limits.MaxOutputSide);
        try
        {
            if ((long)image.Width * image.Height > limits.MaxOutputPixels)
            {
                throw new ImagingException(TransformError.TooLarge("the text image is larger than this server's output limit"));
            }

            cancellationToken.ThrowIfCancellationRequested();
            image = Decode.Replace(image, Flatten.Apply(image, output, plan.Background));
            image = Decode.Replace(image, Materialize.Apply(image));
            var autoCompress = format.CompressAuto || plan.AutoCompress;
            var bytes = Encode.Apply(image, output, plan, autoCompress, settings);
            return new RenderResult(bytes, output, image.Width, image.Height)
            {
                Quality = BudgetEncode.HasQuality(output, plan) ? Encode.Quality(plan, autoCompress) : null,
            };
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>w and h in pixels; a fraction of a source side means nothing without a source.</summary>
    private static int? Pixels(SizeValue? size, string name) => size switch
    {
        null => null,
        { Unit: SizeUnit.Pixels } s => (int)s.Value,
        _ => throw new ImagingException(TransformError.BadParameter(name, "/~text needs a size in pixels, not a fraction")),
    };
}
