using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// trim: finds the box inside a uniform frame on the source (oriented and flipped as it will be rendered, inside rect when
/// one is given) and turns it into the plan's rect, so sizing, cropping and shrink-on-load all work on the trimmed picture.
/// This is "trim before resize": the frame is judged at full resolution, never on a thumbnail.
/// Two shortcuts keep it cheap without changing what is trimmed: trim=auto first looks at the source's first stored row,
/// which is always one of the rendered picture's four edges, and stops when it is not uniform (most photos), reading only
/// the first rows; and libvips find_trim runs on strips along the edges instead of the whole picture (see <see cref="Box"/>).
/// </summary>
internal static class Trim
{
    /// <summary>The plan with its rect replaced by the trimmed box, or the plan unchanged when there is no frame to trim.</summary>
    public static TransformPlan ToRect(byte[] source, SourceFacts facts, TransformPlan plan)
    {
        if (plan.Trim.Mode == TrimMode.None || (plan.Trim.Mode == TrimMode.Auto && plan.Rect is null && !FirstStoredRowIsUniform(source, plan.Trim)))
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
            box = Box(alpha, trim.Alpha ?? 0, [0]);
        }
        else
        {
            using var opaque = Opaque(image);
            var corner = opaque.Getpoint(0, 0);
            var background = trim.Mode == TrimMode.Auto || trim.Color is not { } color
                ? corner
                : BandColors.For(opaque.Bands, color with { A = 255 });
            var threshold = trim.Mode == TrimMode.Auto ? trim.MeanDifference : trim.Tolerance;
            if (trim.Mode == TrimMode.Auto && !EdgesAreUniform(opaque, trim.StandardDeviation))
            {
                return null;
            }

            box = Box(opaque, threshold, background);
        }

        if (box.Width <= 0 || box.Height <= 0 || (box.Width == image.Width && box.Height == image.Height))
        {
            return null;
        }

        return new PixelRect(box.Left, box.Top, box.Width, box.Height);
    }

    /// <summary>The picture trim=color and trim=auto compare: alpha flattened onto white.</summary>
    private static VipsImage Opaque(VipsImage image) =>
        image.HasAlpha() ? image.Flatten(background: BandColors.For(image.Bands - 1, Rgba.White)) : image.Linear([1], [0], uchar: true);

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
            if (!IsUniform(line, maxDeviation))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUniform(VipsImage line, double maxDeviation)
    {
        for (var band = 0; band < line.Bands && line.Width * line.Height > 1; band++)
        {
            // Per band: deviate over all bands would count a uniform coloured line as varied.
            using var channel = line.ExtractBand(band);
            if (channel.Deviate() > maxDeviation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The first stored row, prepared as <see cref="Find"/> prepares the picture (sRGB, alpha flattened), is uniform.
    /// Orientation and flip only move it to another edge, so when it is not uniform trim=auto trims nothing, which a
    /// sequential read learns from the first rows alone instead of a full decode.
    /// </summary>
    private static bool FirstStoredRowIsUniform(byte[] source, TrimSpec trim)
    {
        using var loaded = VipsImage.NewFromBuffer(source, access: Enums.Access.Sequential);
        using var view = loaded.ExtractArea(0, 0, loaded.Width, 1);
        // In memory once: the sequential pipeline can be read only once, and each band is read on its own below.
        using var row = Materialize.Apply(view);
        using var srgb = ColorConversion.ToSrgb(row, useProfiles: false) is var s && ReferenceEquals(s, row) ? null : s;
        using var opaque = Opaque(srgb ?? row);
        return IsUniform(opaque, trim.StandardDeviation);
    }

    /// <summary>Initial depth of the edge strips <see cref="Box"/> searches; doubled until the edge is inside.</summary>
    private const int FirstStripDepth = 32;

    /// <summary>
    /// Rows and columns next to a strip's inner side that do not count: there find_trim's 3×3 median sees the strip's
    /// copied edge instead of the picture's next line, so only edges found deeper inside are the whole picture's.
    /// </summary>
    private const int StripMargin = 2;

    /// <summary>
    /// libvips find_trim's box, found on strips along the four edges instead of the whole picture: find_trim median-filters
    /// every pixel (about half a second for 2560×1600), while the box only depends on the lines between each edge and the
    /// first non-frame pixel. Each side's strip deepens (32, 64, … px) until that pixel lies inside it; a strip's outer
    /// sides are the picture's own edges, so the median there sees what it sees on the whole picture, and the result is
    /// find_trim's own. A picture with a frame deeper than a third of it is searched whole.
    /// </summary>
    internal static (int Left, int Top, int Width, int Height) Box(VipsImage image, double threshold, double[] background)
    {
        int width = image.Width, height = image.Height;
        int? top = null, bottom = null, left = null, right = null;
        for (var depth = FirstStripDepth; top is null || bottom is null || left is null || right is null; depth *= 2)
        {
            var strip = depth + StripMargin;
            if (3 * strip > Math.Min(width, height))
            {
                return image.TrimBox(threshold, background);
            }

            top ??= Edge(image.ExtractArea(0, 0, width, strip), b => b.Top, b => b.Top < depth);
            bottom ??= Edge(image.ExtractArea(0, height - strip, width, strip), b => height - strip + b.Top + b.Height, b => b.Top + b.Height > StripMargin);
            left ??= Edge(image.ExtractArea(0, 0, strip, height), b => b.Left, b => b.Left < depth);
            right ??= Edge(image.ExtractArea(width - strip, 0, strip, height), b => width - strip + b.Left + b.Width, b => b.Left + b.Width > StripMargin);
        }

        return (left.Value, top.Value, right.Value - left.Value, bottom.Value - top.Value);

        int? Edge(VipsImage strip, Func<(int Left, int Top, int Width, int Height), int> edge, Func<(int Left, int Top, int Width, int Height), bool> inside)
        {
            using (strip)
            {
                var box = strip.TrimBox(threshold, background);
                return box.Width > 0 && box.Height > 0 && inside(box) ? edge(box) : null;
            }
        }
    }
}
