using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>
/// The bytes of the other images a plan names (<c>mask</c>, <c>mark</c>, <c>blend</c>), fetched by the caller through the
/// source's origin with the same limits as an original.
/// </summary>
public sealed record OverlayImages(byte[]? Mask = null, byte[]? Mark = null, byte[]? Blend = null)
{
    public static readonly OverlayImages None = new();

    /// <summary>The bytes for the overlay named by its parameter (mask, mark, blend).</summary>
    public OverlayImages With(string parameter, byte[] bytes) => parameter switch
    {
        "mask" => this with { Mask = bytes },
        "mark" => this with { Mark = bytes },
        "blend" => this with { Blend = bytes },
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "not an overlay parameter"),
    };

    /// <summary>
    /// Header checks before any work, as for the original: a supported image within the byte and pixel limits, else a
    /// 413/422 that names the parameter.
    /// </summary>
    internal void Check(TransformPlan plan, Limits limits)
    {
        foreach (var (parameter, _) in plan.OverlayImages())
        {
            var bytes = parameter switch { "mask" => Mask, "mark" => Mark, _ => Blend }
                ?? throw new ImagingException(TransformError.Unprocessable($"{parameter}: the image was not fetched"));
            Steps.Overlay.Check(bytes, parameter, limits);
        }
    }
}
