using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// trim: finds the box inside a uniform frame on the source (oriented and flipped as it will be rendered, inside rect when
/// one is given) and turns it into the plan's rect, so sizing, cropping and shrink-on-load all work on the trimmed picture.
/// This is "trim before resize": the frame is judged at full resolution, never on a thumbnail.
/// </summary>
internal static class Trim
{
    /// <summary>The plan with its rect replaced by the trimmed box, or the plan unchanged when there is no frame to trim.</summary>
    public static TransformPlan ToRect(byte[] source, SourceFacts facts, TransformPlan plan)
    {
        if (plan.Trim.Mode == TrimMode.None)
        {
            return plan;
        }

        using var loaded = VipsImage.NewFromBuffer(source);
        var orientation = Geometry.EffectiveOrientation(plan.Orientation, facts.Orientation);
        using var memory = Materialize.Apply(loaded);
        using var oriented = Orient.Apply(memory, orientation) is var o && ReferenceEquals(o, memory) ? null : o;
        var upright = oriented ?? memory;
        using var flipped = plan.Flip == FlipMode.None ? null : Orient.Flip(upright, plan.Flip);
        var image = flipped ?? upright;

        var region = plan.Rect is { } rect ? Geometry.ResolveRegion(rect, image.Width, image.Height) : null;
        region ??= new PixelRect(0, 0, image.Width, image.Height);
        using var area = image.ExtractArea(region.Value.X, region.Value.Y, region.Value.Width, region.Value.Height);
        using var srgb = ColorConversion.ToSrgb(area, useProfiles: false) is var s && ReferenceEquals(s, area) ? null : s;
        var pixels = srgb ?? area;

        if (Find(pixels, plan.Trim) is not { } box)
        {
            return plan;
        }

        // trim-pad grows (or, negative, shrinks) the box, kept inside the region and at least 1 px.
        var pad = plan.Trim.Pad;
        var left = Math.Clamp(box.X - pad, 0, pixels.Width - 1);
        var top = Math.Clamp(box.Y - pad, 0, pixels.Height - 1);
        var right = Math.Clamp(box.X + box.Width + pad, left + 1, pixels.Width);
        var bottom = Math.Clamp(box.Y + box.Height + pad, top + 1, pixels.Height);
        return plan with
        {
            Rect = new RectSpec(
                new RectValue(region.Value.X + left, RectUnit.Pixels), new RectValue(region.Value.Y + top, RectUnit.Pixels),
                new RectValue(right - left, RectUnit.Pixels), new RectValue(bottom - top, RectUnit.Pixels)),
        };
    }

    /// <summary>The box of picture inside the frame, or null when the mode finds no frame (or nothing but frame).</summary>
    internal static PixelRect? Find(VipsImage image, TrimSpec trim)
    {
        var useAlpha = trim.Mode == TrimMode.Alpha || (trim.Mode == TrimMode.ColorUnlessAlpha && image.HasAlpha());
        (int Left, int Top, int Width, int Height) box;
        if (useAlpha)
        {
            if (!image.HasAlpha())
            {
                return null;
            }

            // Pixels whose alpha is at most trim-alpha are frame.
            using var alpha = image.ExtractBand(image.Bands - 1);
            box = alpha.TrimBox(trim.Alpha ?? 0, [0]);
        }
        else
        {
            using var opaque = image.HasAlpha() ? image.Flatten(background: BandColors.For(image.Bands - 1, Rgba.White)) : image.Linear([1], [0], uchar: true);
            var corner = opaque.Getpoint(0, 0);
            var background = trim.Mode == TrimMode.Auto || trim.Color is not { } color
                ? corner
                : BandColors.For(opaque.Bands, color with { A = 255 });
            var threshold = trim.Mode == TrimMode.Auto ? trim.MeanDifference : trim.Tolerance;
            if (trim.Mode == TrimMode.Auto && !EdgesAreUniform(opaque, trim.StandardDeviation))
            {
                return null;
            }

            box = opaque.TrimBox(threshold, background);
        }

        if (box.Width <= 0 || box.Height <= 0 || (box.Width == image.Width && box.Height == image.Height))
        {
            return null;
        }

        return new PixelRect(box.Left, box.Top, box.Width, box.Height);
    }

    /// <summary>trim=auto only trims when each outermost line is uniform: its standard deviation at most trim-sd.</summary>
    private static bool EdgesAreUniform(VipsImage image, double maxDeviation)
    {
        (int X, int Y, int W, int H)[] edges =
        [
            (0, 0, image.Width, 1), (0, image.Height - 1, image.Width, 1), (0, 0, 1, image.Height), (image.Width - 1, 0, 1, image.Height),
        ];
        foreach (var (x, y, w, h) in edges)
        {
            using var line = image.ExtractArea(x, y, w, h);
            for (var band = 0; band < line.Bands && line.Width * line.Height > 1; band++)
            {
                // Per band: deviate over all bands would count a uniform coloured line as varied.
                using var channel = line.ExtractBand(band);
                if (channel.Deviate() > maxDeviation)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
