using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// What the watermark and blend steps share: checking an overlay image like an original, loading it as 8-bit sRGB with
/// alpha at its box size (mark-fit, blend-fit), placing it (align, pad, x/y) and compositing it onto the picture.
/// </summary>
internal static class Overlay
{
    private static long _decodes;

    /// <summary>Overlay decodes run (not answered by <see cref="SizedOverlays"/>), for tests.</summary>
    internal static long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>A supported image within the source byte and pixel limits; otherwise a 413/422 naming <paramref name="parameter"/>.</summary>
    public static SourceFacts Check(byte[] bytes, string parameter, Limits limits)
    {
        if (bytes.LongLength > limits.MaxSourceBytes)
        {
            throw new ImagingException(TransformError.TooLarge($"{parameter}: the image is larger than {limits.MaxSourceBytes} bytes"));
        }

        SourceFacts facts;
        try
        {
            facts = Probe.Run(bytes);
        }
        catch (ImagingException e)
        {
            throw new ImagingException(TransformError.Unprocessable($"{parameter}: {e.Error.Message}"), e);
        }

        if ((long)facts.Width * facts.Height > limits.MaxSourcePixels)
        {
            throw new ImagingException(TransformError.Unprocessable(
                $"{parameter}: the image has {facts.Width}×{facts.Height} pixels, over the limit of {limits.MaxSourcePixels} (MaxSourcePixels)"));
        }

        return facts;
    }

    /// <summary>
    /// The overlay as 4-band 8-bit sRGB, sized into its box: <paramref name="width"/>/<paramref name="height"/> in pixels
    /// or fractions of the picture (null = not given; neither = natural size). Crop anchors are -1/0/+1. The size is worked
    /// out from the header, so libvips thumbnail decodes straight to it (shrink-on-load where the format has one, colour
    /// management and alpha premultiplication on the small image).
    /// </summary>
    public static VipsImage Load(byte[] bytes, int pictureWidth, int pictureHeight, OverlayFit fit, SizeValue? width, SizeValue? height,
        int cropHorizontal = 0, int cropVertical = 0)
    {
        var facts = Probe.Run(bytes);
        var (w, h) = SourceFacts.SwapsAxes(facts.Orientation) ? (facts.Height, facts.Width) : (facts.Width, facts.Height);
        var boxWidth = Length(width, pictureWidth);
        var boxHeight = Length(height, pictureHeight);
        if (boxWidth is null && boxHeight is null)
        {
            return Thumbnail(bytes, w, h);
        }

        if (boxWidth is not { } bw || boxHeight is not { } bh)
        {
            // One side given: every fit scales to it keeping the aspect ratio (there is no box to fill or crop).
            var k = boxWidth is { } only ? (double)only / w : (double)boxHeight!.Value / h;
            return Scaled(bytes, w, h, fit == OverlayFit.Max ? Math.Min(k, 1) : k);
        }

        switch (fit)
        {
            case OverlayFit.Scale:
                return Thumbnail(bytes, bw, bh);
            case OverlayFit.Crop:
            {
                var k = Math.Max((double)bw / w, (double)bh / h);
                using var cover = Thumbnail(bytes, Math.Max(bw, (int)Math.Round(w * k)), Math.Max(bh, (int)Math.Round(h * k)));
                var x = (cover.Width - bw) * (cropHorizontal + 1) / 2;
                var y = (cover.Height - bh) * (cropVertical + 1) / 2;
                return cover.ExtractArea(x, y, bw, bh);
            }
        }

        var inside = Math.Min((double)bw / w, (double)bh / h);
        var fitted = Scaled(bytes, w, h, fit == OverlayFit.Max ? Math.Min(inside, 1) : inside);
        if (fit is not (OverlayFit.Fill or OverlayFit.Clamp) || (fitted.Width == bw && fitted.Height == bh))
        {
            return fitted;
        }

        using (fitted)
        {
            // fill: transparent around; clamp: the edge pixels repeated outwards.
            return fitted.Embed((bw - fitted.Width) / 2, (bh - fitted.Height) / 2, bw, bh,
                extend: fit == OverlayFit.Clamp ? Enums.Extend.Copy : Enums.Extend.Background, background: [0, 0, 0, 0]);
        }
    }

    /// <summary>Left or top edge of an overlay: the given offset, else the anchor (-1 start, 0 centre, +1 end) with pad from the edge.</summary>
    public static int Place(int picture, int overlay, int anchor, int pad, int? offset) => offset ?? anchor switch
    {
        < 0 => pad,
        0 => (picture - overlay) / 2,
        _ => picture - overlay - pad,
    };

    public static int Anchor(HorizontalAnchor anchor) => anchor switch { HorizontalAnchor.Left => -1, HorizontalAnchor.Center => 0, _ => 1 };

    public static int Anchor(VerticalAnchor anchor) => anchor switch { VerticalAnchor.Top => -1, VerticalAnchor.Middle => 0, _ => 1 };

    /// <summary>Multiplies the overlay's alpha by <paramref name="percent"/>/100.</summary>
    public static VipsImage Fade(VipsImage rgba, int percent) => percent >= 100
        ? rgba.Copy()
        : rgba.Linear([1, 1, 1, percent / 100.0], [0, 0, 0, 0], uchar: true);

    /// <summary>Turned clockwise about its centre on a transparent canvas that holds all of it (premultiplied, so edges stay clean).</summary>
    public static VipsImage Rotated(VipsImage rgba, double degrees)
    {
        if (degrees == 0)
        {
            return rgba.Copy();
        }

        using var premultiplied = rgba.Premultiply();
        using var turned = premultiplied.Rotate(degrees, background: [0, 0, 0, 0]);
        using var straight = turned.Unpremultiply();
        return straight.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>
    /// Composites <paramref name="layer"/> (sRGB + alpha) onto the picture at x, y; a grey picture becomes sRGB so a coloured
    /// overlay stays coloured, and a picture without alpha gets none back.
    /// </summary>
    public static VipsImage Composite(VipsImage picture, VipsImage layer, int x, int y, Enums.BlendMode mode = Enums.BlendMode.Over)
    {
        var hadAlpha = picture.HasAlpha();
        using var rgb = picture.Bands < 3 ? picture.Colourspace(Enums.Interpretation.Srgb) : picture.Copy();
        using var composed = rgb.Composite2(layer, mode, x: x, y: y);
        // composite works in float and always adds alpha: back to 8 bits, and no alpha when the picture had none.
        using var bytes = composed.Cast(Enums.BandFormat.Uchar);
        return hadAlpha ? bytes.Copy() : bytes.ExtractBand(0, n: 3);
    }

    private static int? Length(SizeValue? value, int picture) => value is not { } v
        ? null
        : Math.Max(1, v.Unit == SizeUnit.Fraction ? (int)Math.Round(v.Value * picture) : (int)v.Value);

    private static VipsImage Scaled(byte[] bytes, int width, int height, double k) =>
        Thumbnail(bytes, Math.Max(1, (int)Math.Round(width * k)), Math.Max(1, (int)Math.Round(height * k)));

    /// <summary>
    /// Exactly width×height (upright, as the EXIF orientation says), 4-band 8-bit sRGB. Small results are kept by content
    /// and size (<see cref="SizedOverlays"/>): a watermark drawn on every product is decoded once per size, not per render.
    /// </summary>
    private static VipsImage Thumbnail(byte[] bytes, int width, int height)
    {
        if ((long)width * height * 4 > SizedOverlays.MaxEntryBytes)
        {
            return Decode(bytes, width, height);
        }

        var pixels = SizedOverlays.GetOrAdd(bytes, width, height, () =>
        {
            using var decoded = Decode(bytes, width, height);
            return decoded.WriteToMemory<byte>();
        });
        using var raw = VipsImage.NewFromMemory(pixels, width, height, 4, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static VipsImage Decode(byte[] bytes, int width, int height)
    {
        Interlocked.Increment(ref _decodes);
        using var thumbnail = VipsImage.ThumbnailBuffer(bytes, width, height: height, size: Enums.Size.Force);
        var rgba = ToRgba(thumbnail);
        var exact = Resize.ToSize(rgba, width, height);
        if (!ReferenceEquals(exact, rgba))
        {
            rgba.Dispose();
        }

        return exact;
    }

    private static VipsImage ToRgba(VipsImage image)
    {
        var srgb = ColorConversion.ToSrgb(image, useProfiles: true);
        using var owned = ReferenceEquals(srgb, image) ? null : srgb;
        using var bytes = srgb.Format == Enums.BandFormat.Uchar ? srgb.Copy() : srgb.Cast(Enums.BandFormat.Uchar);
        return Shapes.WithAlpha(bytes);
    }
}
