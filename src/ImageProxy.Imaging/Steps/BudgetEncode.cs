using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// max-bytes: encode so the body is at most N bytes. Quality first: one encode at the asked q, then at min-q, then a
/// binary search between them for the highest q that fits, at most <see cref="MaxQualityEncodes"/> encodes in all. Only
/// when min-q still misses (or the format has no quality: PNG, GIF, lossless) is the picture made smaller, by the
/// square root of the size ratio with a margin, since encoded size follows the pixel count roughly.
/// </summary>
internal static class BudgetEncode
{
    public const int MaxQualityEncodes = 5;

    /// <summary>Shrink attempts before giving up (each aims under the budget, so one or two usually do).</summary>
    private const int MaxShrinks = 6;

    /// <summary>Aim this far under the budget when shrinking: size does not fall exactly with the pixel count.</summary>
    private const double ShrinkMargin = 0.85;

    public sealed record Outcome(byte[] Bytes, int? Quality, int Width, int Height, bool Shrunk);

    /// <summary>True when the format's saver takes a quality (and the plan does not ask for lossless).</summary>
    public static bool HasQuality(ImageFormat format, TransformPlan plan) =>
        format is ImageFormat.Jpeg or ImageFormat.Avif or ImageFormat.Heif
        || (format is ImageFormat.WebP or ImageFormat.Jxl && !plan.Lossless);

    public static Outcome Apply(VipsImage image, ImageFormat format, TransformPlan plan, bool autoCompress, EncoderSettings settings, long maxBytes)
    {
        byte[] At(VipsImage picture, int? q) => Encode.Apply(picture, format, q is { } quality ? plan with { Quality = quality } : plan, autoCompress, settings);

        var lossy = HasQuality(format, plan);
        var asked = Encode.Quality(plan, autoCompress);
        var floor = Math.Min(plan.Budget.MinQuality, asked);
        int? quality = lossy ? asked : null;

        var bytes = At(image, quality);
        if (bytes.Length <= maxBytes)
        {
            return new Outcome(bytes, quality, image.Width, image.Height, Shrunk: false);
        }

        if (lossy && floor < asked)
        {
            var atFloor = At(image, floor);
            if (atFloor.Length <= maxBytes)
            {
                // The highest quality in (floor, asked) that fits, by bisection within the encode budget.
                var (best, bestQ) = (atFloor, floor);
                int low = floor + 1, high = asked - 1, encodes = 2;
                while (low <= high && encodes < MaxQualityEncodes)
                {
                    var mid = (low + high) / 2;
                    var candidate = At(image, mid);
                    encodes++;
                    if (candidate.Length <= maxBytes)
                    {
                        (best, bestQ, low) = (candidate, mid, mid + 1);
                    }
                    else
                    {
                        high = mid - 1;
                    }
                }

                return new Outcome(best, bestQ, image.Width, image.Height, Shrunk: false);
            }

            (bytes, quality) = (atFloor, floor);
        }

        return Shrink(image, bytes, maxBytes, picture => At(picture, quality), quality);
    }

    private static Outcome Shrink(VipsImage image, byte[] bytes, long maxBytes, Func<VipsImage, byte[]> encode, int? quality)
    {
        var (width, height) = (image.Width, image.Height);
        for (var attempt = 0; attempt < MaxShrinks && (width > 1 || height > 1); attempt++)
        {
            var factor = Math.Sqrt((double)maxBytes / bytes.Length) * ShrinkMargin;
            (width, height) = (Math.Max(1, (int)(width * factor)), Math.Max(1, (int)(height * factor)));
            using var smaller = Resize.Exactly(image, width, height);
            bytes = encode(smaller);
            if (bytes.Length <= maxBytes)
            {
                return new Outcome(bytes, quality, width, height, Shrunk: true);
            }
        }

        throw new ImagingException(TransformError.Unprocessable($"max-bytes={maxBytes} cannot be met for this image, even at 1×1 pixel or after {MaxShrinks} reductions"));
    }
}
