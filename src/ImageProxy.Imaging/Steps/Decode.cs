using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Steps 1–3 of the order (orient, flip, region, resize), done while decoding so that a large source is never decoded at
/// full size for a small output: the result is the oriented, flipped picture at exactly ScaledWidth×ScaledHeight.
/// </summary>
internal static class Decode
{
    /// <summary>
    /// Passed as the loader's option string: thumbnail_buffer and _source ignore their own fail_on argument (docs/libvips.md §4),
    /// but options in option_string reach the loader. "truncated" refuses truncated files yet accepts the many real
    /// JPEGs with harmless warnings.
    /// </summary>
    internal const string LoaderOptions = "fail_on=truncated";

    public static VipsImage Apply(Source source, SourceFacts facts, ResolvedGeometry g)
    {
        try
        {
            if (g.Region is { } region)
            {
                return WithRegion(source, facts, g, region);
            }

            return facts.Format == ImageFormat.Jpeg ? JpegShrink(source, g) : Thumbnail(source, g, facts.Orientation);
        }
        catch (VipsException e)
        {
            // The header read already succeeded, so a failure here is the source's content (docs/libvips.md §2: the text cannot tell).
            throw new ImagingException(Materialize.Undecodable, e);
        }
    }

    /// <summary>No region: thumbnail_source shrinks on load (WebP/HEIF/SVG scale-on-load, PNG/GIF/TIFF plain) and sizes exactly.</summary>
    private static VipsImage Thumbnail(Source source, ResolvedGeometry g, int sourceOrientation)
    {
        // thumbnail applies the EXIF orientation itself. When the plan overrides it, switch that off and turn the picture
        // ourselves; the target box is then given in stored (unturned) axes.
        var auto = g.Orientation == sourceOrientation;
        var swap = !auto && SourceFacts.SwapsAxes(g.Orientation);
        var (w, h) = swap ? (g.ScaledHeight, g.ScaledWidth) : (g.ScaledWidth, g.ScaledHeight);

        var image = VipsImage.ThumbnailSource(source, w, optionString: LoaderOptions, height: h, size: Enums.Size.Force, noRotate: !auto);
        return OrientAndSize(image, g, auto ? 1 : g.Orientation);
    }

    /// <summary>
    /// No region, JPEG: jpegload with the largest DCT shrink (8/4/2) that still covers the target, then vips_resize (lanczos3),
    /// then orient the small result. thumbnail_buffer would leave at least a 2× residual for resize (2560→400 decodes at 1/2
    /// and reduces 3.2×); this decodes at 1/4 and reduces 1.6×, which is sharp's default (fastShrinkOnLoad), and gives sharp's
    /// output (docs/benchmarks.md, "After the JPEG decode fix", has the CPU it saves).
    /// </summary>
    private static VipsImage JpegShrink(Source source, ResolvedGeometry g)
    {
        // Resize in stored axes, turn afterwards: the decode stays sequential (streamed, never held at full size) and
        // only the small result is turned.
        var swap = SourceFacts.SwapsAxes(g.Orientation);
        var (w, h) = swap ? (g.ScaledHeight, g.ScaledWidth) : (g.ScaledWidth, g.ScaledHeight);
        var (storedW, storedH) = swap ? (g.SourceHeight, g.SourceWidth) : (g.SourceWidth, g.SourceHeight);

        var shrink = 1;
        foreach (var s in new[] { 8, 4, 2 })
        {
            if (storedW / s >= w && storedH / s >= h)
            {
                shrink = s;
                break;
            }
        }

        var image = Load(VipsRuntime.LoaderFor(ImageFormat.Jpeg)!, source, Enums.Access.Sequential, shrink);
        try
        {
            image = Replace(image, Resize.Exactly(image, w, h));
        }
        catch
        {
            image.Dispose();
            throw;
        }

        return OrientAndSize(image, g, g.Orientation);
    }

    /// <summary>Turns by <paramref name="turn"/> (1 = already upright), applies the plan's flip, and fixes the size.</summary>
    private static VipsImage OrientAndSize(VipsImage image, ResolvedGeometry g, int turn)
    {
        try
        {
            if (turn != 1)
            {
                // Turning reads the one-shot sequential pipeline out of order (docs/libvips.md §1): materialise first.
                image = Replace(image, Materialize.Apply(image));
                image = Replace(image, Orient.Apply(image, turn));
            }

            if (g.Flip != FlipMode.None)
            {
                if (g.Flip.HasFlag(FlipMode.Vertical))
                {
                    image = Replace(image, Materialize.Apply(image));
                }

                image = Replace(image, Orient.Flip(image, g.Flip));
            }

            return Replace(image, Resize.Exactly(image, g.ScaledWidth, g.ScaledHeight));
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>With a region: load (sequential when the turns allow it), orient, flip, extract, resize.</summary>
    private static VipsImage WithRegion(Source source, SourceFacts facts, ResolvedGeometry g, PixelRect region)
    {
        var loader = VipsRuntime.LoaderFor(facts.Format) ?? throw new ImagingException(PlanExecutor.Unsupported);
        var random = Orient.NeedsRandomAccess(g.Orientation, g.Flip);

        // JPEG can shrink by 2/4/8 while decoding. Pick the largest factor that still leaves the region at least as large
        // as its scaled size (both axes shrink alike, so orientation does not matter).
        var shrink = 1;
        if (facts.Format == ImageFormat.Jpeg)
        {
            foreach (var s in new[] { 8, 4, 2 })
            {
                if (region.Width / s >= g.ScaledWidth && region.Height / s >= g.ScaledHeight)
                {
                    shrink = s;
                    break;
                }
            }
        }

        var image = Load(loader, source, random ? Enums.Access.Random : Enums.Access.Sequential, shrink);
        try
        {
            image = Replace(image, Orient.Apply(image, g.Orientation));
            image = Replace(image, Orient.Flip(image, g.Flip));

            var r = shrink == 1 ? region : ScaleRegion(region, shrink, image.Width, image.Height);
            if (r.X != 0 || r.Y != 0 || r.Width != image.Width || r.Height != image.Height)
            {
                image = Replace(image, image.ExtractArea(r.X, r.Y, r.Width, r.Height));
            }

            return Replace(image, Resize.Exactly(image, g.ScaledWidth, g.ScaledHeight));
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a source loader by nickname with fail_on=truncated (the same threshold as <see cref="LoaderOptions"/>) and,
    /// when above 1, JPEG's DCT shrink. Every loader since libvips 8.12 has access and fail_on.
    /// </summary>
    private static VipsImage Load(string loader, Source source, Enums.Access access, int shrink)
    {
        var options = new VOption { { "access", access }, { "fail_on", Enums.FailOn.Truncated } };
        if (shrink > 1)
        {
            options.Add("shrink", shrink);
        }

        return (VipsImage)Operation.Call(loader, options, source);
    }

    /// <summary>Maps a region in full-size pixels onto an image decoded at 1/<paramref name="shrink"/>, kept inside it.</summary>
    internal static PixelRect ScaleRegion(PixelRect region, int shrink, int width, int height)
    {
        var x0 = Math.Clamp(region.X / shrink, 0, width - 1);
        var y0 = Math.Clamp(region.Y / shrink, 0, height - 1);
        var x1 = Math.Clamp((int)Math.Ceiling((region.X + region.Width) / (double)shrink), x0 + 1, width);
        var y1 = Math.Clamp((int)Math.Ceiling((region.Y + region.Height) / (double)shrink), y0 + 1, height);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>
    /// Returns <paramref name="next"/> and disposes <paramref name="previous"/> when they differ, unless <paramref name="previous"/>
    /// is <paramref name="keep"/> (the caller's input, which the caller disposes).
    /// </summary>
    internal static VipsImage Replace(VipsImage previous, VipsImage next, VipsImage? keep = null)
    {
        if (!ReferenceEquals(previous, next) && !ReferenceEquals(previous, keep))
        {
            previous.Dispose();
        }

        return next;
    }
}
