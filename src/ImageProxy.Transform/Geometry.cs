namespace ImageProxy.Transform;

/// <summary>Plan + source facts + limits → <see cref="ResolvedGeometry"/>. Pure math (docs/web.md, imgix: Sizing).</summary>
/// <remarks>
/// Our choices where imgix is silent (also in the README's rules):
/// <list type="bullet">
/// <item>All rounding is half-up; no size is ever below 1.</item>
/// <item>Fractional w/h are of the oriented, rect-cropped source; dpr multiplies them afterwards.</item>
/// <item>Explicit w/h are rounded to whole pixels (after dpr); a free side computed from the aspect ratio is not.</item>
/// <item>pad together with w/h: the picture is fitted into the box minus the padding, then padded, so the
///       final image fits within w×h. Pad is multiplied by dpr when w or h is given (a 2x image looks like the 1x one).</item>
/// <item>fit=crop with a position or focal point crop is expressed as a source <see cref="ResolvedGeometry.Region"/>
///       resized straight to the output size (cheaper than scaling the whole image, and a zoomed focal point
///       never builds a huge intermediate); only entropy/edges crops use the scaled-space <see cref="ResolvedGeometry.Crop"/>.</item>
/// <item>fit=facearea: the area of all faces (or face <c>faceindex</c>, largest first) grown by facepad around its centre,
///       widened to the requested aspect ratio and kept inside the picture, is the source region resized to w×h. With no
///       face (or faceindex out of range) the fallback fit of <c>facearea,&lt;fit&gt;</c> applies, else a crop with the libvips
///       attention (edges) strategy.</item>
/// <item>crop=faces centres the window on the area of all faces (as a focal point); with none the other crop values apply.</item>
/// <item>fit=fill/fillmax/clamp centre the picture on the canvas.</item>
/// <item>ar applies only with fit=crop, facearea and fill; max-*/min-* only with fit=crop and only to the side
///       that w/h leaves free (min wins over max when both conflict).</item>
/// <item>Output over MaxOutputSide or MaxOutputPixels (after pad) is sized down proportionally, padding included.</item>
/// </list>
/// </remarks>
public static class Geometry
{
    /// <summary>Largest intermediate we let a smart crop scale to, as a multiple of MaxOutputPixels; beyond it we crop by position.</summary>
    private const long SmartCropScaledPixelsFactor = 4;

    /// <summary>Cap for rounded sizes so absurd scales saturate instead of overflowing int.</summary>
    private const double SizeCeiling = 1 << 30;

    /// <summary>Computes the pixel plan, or a 422 when the source exceeds a limit / a 400 when rect misses the image.</summary>
    /// <param name="faces">Faces found in the source, in oriented source pixels, largest first; only read when
    /// <see cref="TransformPlan.UsesFaces"/>.</param>
    public static Result<ResolvedGeometry> Resolve(TransformPlan plan, SourceFacts source, Limits limits, IReadOnlyList<PixelRect>? faces = null)
    {
        limits ??= Limits.Default;
        if (source.Width <= 0 || source.Height <= 0)
        {
            return TransformError.Unprocessable("The source image has no pixels.");
        }

        var sourcePixels = (long)source.Width * source.Height;
        if (sourcePixels > limits.MaxSourcePixels)
        {
            return TransformError.Unprocessable(
                $"The source image is {source.Width}×{source.Height} = {sourcePixels} pixels, over the limit of {limits.MaxSourcePixels} (MaxSourcePixels).");
        }

        if (source.Pages > limits.MaxSourceFrames)
        {
            return TransformError.Unprocessable(
                $"The source image has {source.Pages} frames, over the limit of {limits.MaxSourceFrames} (MaxSourceFrames).");
        }

        var orientation = EffectiveOrientation(plan.Orientation, source.Orientation);
        var swap = SourceFacts.SwapsAxes(orientation);
        var orientedWidth = swap ? source.Height : source.Width;
        var orientedHeight = swap ? source.Width : source.Height;

        var rect = new PixelRect(0, 0, orientedWidth, orientedHeight);
        if (plan.Rect is { } rectSpec)
        {
            var resolved = ResolveRect(rectSpec, orientedWidth, orientedHeight);
            if (resolved is null)
            {
                return TransformError.BadParameter("rect", $"the rectangle lies outside the {orientedWidth}×{orientedHeight} image");
            }

            rect = resolved.Value;
        }

        if (plan.UsesFaces)
        {
            plan = ApplyFaces(plan, faces ?? [], ref rect);
        }

        var layout = ComputeLayout(plan, rect.Width, rect.Height, shrink: 1, limits);
        var shrink = 1.0;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var factor = OversizeFactor(layout.OutputWidth, layout.OutputHeight, limits);
            if (factor >= 1)
            {
                break;
            }

            // After the first pass rounding can leave us a pixel over; nudge a little further each time.
            shrink *= attempt == 0 ? factor : factor * 0.9999;
            layout = ComputeLayout(plan, rect.Width, rect.Height, shrink, limits);
        }

        PixelRect? region = layout.Window is { } window
            ? window with { X = window.X + rect.X, Y = window.Y + rect.Y }
            : rect;
        if (region == new PixelRect(0, 0, orientedWidth, orientedHeight))
        {
            region = null;
        }

        return new ResolvedGeometry
        {
            Orientation = orientation,
            Flip = plan.Flip,
            SourceWidth = orientedWidth,
            SourceHeight = orientedHeight,
            Region = region,
            ScaledWidth = layout.ScaledWidth,
            ScaledHeight = layout.ScaledHeight,
            Crop = layout.Crop,
            SmartCrop = layout.SmartCrop,
            CanvasWidth = layout.CanvasWidth,
            CanvasHeight = layout.CanvasHeight,
            PictureX = layout.PictureX,
            PictureY = layout.PictureY,
            CanvasFill = layout.CanvasFill,
            Pad = layout.Pad,
            Rotation = plan.Rotation,
            OutputWidth = layout.OutputWidth,
            OutputHeight = layout.OutputHeight,
        };
    }

    /// <summary>
    /// Turns the faces into plain geometry: fit=facearea becomes a centre crop of the face window (which <paramref name="rect"/>
    /// becomes), crop=faces a focal point at the faces' centre. With no usable face the plan's fallbacks stay as they are.
    /// </summary>
    private static TransformPlan ApplyFaces(TransformPlan plan, IReadOnlyList<PixelRect> faces, ref PixelRect rect)
    {
        var picture = rect;
        var inPicture = faces.Select(f => Intersect(f, picture)).Where(f => f.Width > 0 && f.Height > 0).ToList();
        if (plan.Fit == FitMode.FaceArea)
        {
            var chosen = plan.FaceIndex is { } index
                ? index <= inPicture.Count ? [inPicture[index - 1]] : []
                : inPicture;
            if (chosen.Count == 0)
            {
                return plan.FaceFallback is { } fallback ? plan with { Fit = fallback } : plan;
            }

            rect = FaceWindow(Union(chosen), plan, picture);
            return plan with { Fit = FitMode.Crop, Crop = CropSpec.Center };
        }

        if (inPicture.Count == 0)
        {
            return plan;
        }

        var all = Union(inPicture);
        var focal = new FocalPoint(
            (all.X + all.Width / 2.0 - picture.X) / picture.Width,
            (all.Y + all.Height / 2.0 - picture.Y) / picture.Height,
            1);
        return plan with { Crop = plan.Crop with { Strategy = CropStrategy.FocalPoint }, Focal = focal };
    }

    /// <summary>The face area grown by facepad, widened to the output's aspect ratio, shrunk to fit and kept inside the picture.</summary>
    private static PixelRect FaceWindow(PixelRect area, TransformPlan plan, PixelRect picture)
    {
        var pad = double.IsFinite(plan.FacePad) ? Math.Max(1, plan.FacePad) : 1;
        var width = area.Width * pad;
        var height = area.Height * pad;
        double? aspect = plan.Width is { } w && plan.Height is { } h
            ? Requested(w, picture.Width) / Requested(h, picture.Height)
            : plan.AspectRatio;
        if (aspect is { } a && double.IsFinite(a) && a > 0)
        {
            if (width / height < a)
            {
                width = height * a;
            }
            else
            {
                height = width / a;
            }
        }

        var fit = Math.Min(1, Math.Min(picture.Width / width, picture.Height / height));
        var windowWidth = Math.Clamp(Round(width * fit), 1, picture.Width);
        var windowHeight = Math.Clamp(Round(height * fit), 1, picture.Height);
        var x = Math.Clamp(RoundOffset(area.X + area.Width / 2.0 - windowWidth / 2.0), picture.X, picture.X + picture.Width - windowWidth);
        var y = Math.Clamp(RoundOffset(area.Y + area.Height / 2.0 - windowHeight / 2.0), picture.Y, picture.Y + picture.Height - windowHeight);
        return new PixelRect(x, y, windowWidth, windowHeight);
    }

    private static PixelRect Intersect(PixelRect a, PixelRect b)
    {
        var x = Math.Max(a.X, b.X);
        var y = Math.Max(a.Y, b.Y);
        return new PixelRect(x, y, Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - x), Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - y));
    }

    private static PixelRect Union(IReadOnlyList<PixelRect> rects)
    {
        var left = rects.Min(r => r.X);
        var top = rects.Min(r => r.Y);
        return new PixelRect(left, top, rects.Max(r => r.X + r.Width) - left, rects.Max(r => r.Y + r.Height) - top);
    }

    /// <summary>EXIF orientation to apply: the plan's orient (90/180/270 → 6/3/8, 0 → 1) wins over the source's.</summary>
    public static int EffectiveOrientation(int? planOrientation, int sourceOrientation) => planOrientation switch
    {
        0 => 1,
        90 => 6,
        180 => 3,
        270 => 8,
        >= 1 and <= 8 => planOrientation.Value,
        null when sourceOrientation is >= 1 and <= 8 => sourceOrientation,
        _ => 1,
    };

    /// <summary>Round half up, saturating, never below 1.</summary>
    internal static int Round(double value)
    {
        if (double.IsNaN(value) || value < 1)
        {
            return 1;
        }

        return (int)Math.Min(Math.Floor(value + 0.5), SizeCeiling);
    }

    /// <summary>Round half up for offsets (may be 0).</summary>
    private static int RoundOffset(double value) =>
        double.IsNaN(value) || value <= 0 ? 0 : (int)Math.Min(Math.Floor(value + 0.5), SizeCeiling);

    private static double OversizeFactor(int width, int height, Limits limits)
    {
        var factor = 1.0;
        var longest = Math.Max(width, height);
        if (longest > limits.MaxOutputSide)
        {
            factor = Math.Min(factor, (double)limits.MaxOutputSide / longest);
        }

        var pixels = (double)width * height;
        if (pixels > limits.MaxOutputPixels)
        {
            factor = Math.Min(factor, Math.Sqrt(limits.MaxOutputPixels / pixels));
        }

        return factor;
    }

    /// <summary>rect in oriented pixels, clamped inside the image; null when it starts outside.</summary>
    /// <summary>The pixels a <c>rect</c> selects in a width×height (oriented) image; null when it falls outside.</summary>
    public static PixelRect? ResolveRegion(RectSpec spec, int width, int height) => ResolveRect(spec, width, height);

    private static PixelRect? ResolveRect(RectSpec spec, int width, int height)
    {
        var rectWidth = Extent(spec.Width, width);
        var rectHeight = Extent(spec.Height, height);
        var x = Position(spec.X, width, rectWidth);
        var y = Position(spec.Y, height, rectHeight);
        if (x >= width || y >= height)
        {
            return null;
        }

        return new PixelRect(x, y, Math.Min(rectWidth, width - x), Math.Min(rectHeight, height - y));

        static int Extent(RectValue item, int side) => item.Unit switch
        {
            RectUnit.Full => side,
            RectUnit.Fraction => Round(item.Value * side),
            _ => Round(item.Value),
        };

        static int Position(RectValue item, int side, int extent) => item.Unit switch
        {
            RectUnit.Start => 0,
            RectUnit.Center => RoundOffset((side - extent) / 2.0),
            RectUnit.End => Math.Max(0, side - extent),
            RectUnit.Fraction => RoundOffset(item.Value * side),
            _ => (int)Math.Min(Math.Max(item.Value, 0), int.MaxValue),
        };
    }

    /// <summary>
    /// The fit rules of docs/web.md (imgix: Sizing) on a W×H picture (already oriented and rect-cropped).
    /// <paramref name="shrink"/> &lt; 1 scales every target size down to respect the output limits.
    /// </summary>
    private static GeometryLayout ComputeLayout(TransformPlan plan, int width, int height, double shrink, Limits limits)
    {
        var fit = plan.Fit;
        var dpr = double.IsFinite(plan.Dpr) && plan.Dpr > 0 ? plan.Dpr : 1;
        var hasWidth = plan.Width is not null;
        var hasHeight = plan.Height is not null;
        var hasBox = hasWidth || hasHeight;
        // The box loses the dpr-scaled padding; the shrink factor then applies to box and padding alike.
        var requestedPad = ScalePad(plan.Pad, hasBox ? dpr : 1);
        var padX = requestedPad.Left + requestedPad.Right;
        var padY = requestedPad.Top + requestedPad.Bottom;
        var pad = ScalePad(requestedPad, shrink);
        double? aspect = plan.AspectRatio is { } ar && double.IsFinite(ar) && ar > 0
            && fit is FitMode.Crop or FitMode.FaceArea or FitMode.Fill ? ar : null;

        // Step 1: the requested box for the picture (before pad), or none = keep the picture's size.
        double boxWidth = 0, boxHeight = 0;
        var haveBox = true;
        if (hasBox)
        {
            if (hasWidth)
            {
                boxWidth = Math.Max(1, Round(Requested(plan.Width!.Value, width) * dpr) - padX);
            }

            if (hasHeight)
            {
                boxHeight = Math.Max(1, Round(Requested(plan.Height!.Value, height) * dpr) - padY);
            }

            if (!hasHeight)
            {
                boxHeight = aspect is { } a ? boxWidth / a : boxWidth * height / width;
                if (fit == FitMode.Crop)
                {
                    boxHeight = ClampFree(boxHeight, plan.MinHeight, plan.MaxHeight);
                }
            }
            else if (!hasWidth)
            {
                boxWidth = aspect is { } a ? boxHeight * a : boxHeight * width / height;
                if (fit == FitMode.Crop)
                {
                    boxWidth = ClampFree(boxWidth, plan.MinWidth, plan.MaxWidth);
                }
            }

            boxWidth *= shrink;
            boxHeight *= shrink;
        }
        else if (aspect is { } a && fit is FitMode.Crop or FitMode.FaceArea)
        {
            // Largest region of ratio ar inside the picture, unscaled.
            (boxWidth, boxHeight) = (double)width / height > a ? (height * a, (double)height) : (width, width / a);
            boxWidth *= shrink;
            boxHeight *= shrink;
        }
        else if (aspect is { } frame && fit == FitMode.Fill)
        {
            // Smallest frame of ratio ar around the unscaled picture; the rest is filled.
            (boxWidth, boxHeight) = (double)width / height > frame ? (width, width / frame) : (height * frame, (double)height);
            boxWidth *= shrink;
            boxHeight *= shrink;
        }
        else if (shrink < 1)
        {
            (boxWidth, boxHeight) = (width * shrink, height * shrink);
        }
        else
        {
            haveBox = false;
        }

        if (!haveBox)
        {
            return GeometryLayout.Plain(width, height, pad);
        }

        // Steps 2–3.
        var scaleX = boxWidth / width;
        var scaleY = boxHeight / height;
        switch (fit)
        {
            case FitMode.Clip:
            case FitMode.Max:
            {
                var scale = Math.Min(scaleX, scaleY);
                if (fit == FitMode.Max)
                {
                    scale = Math.Min(scale, 1);
                }

                return (GeometryLayout.Plain(width, height, pad) with { ScaledWidth = Round(width * scale), ScaledHeight = Round(height * scale) }).WithCanvasAsPicture();
            }

            case FitMode.Scale:
                return (GeometryLayout.Plain(width, height, pad) with { ScaledWidth = Round(boxWidth), ScaledHeight = Round(boxHeight) }).WithCanvasAsPicture();

            case FitMode.Fill:
            case FitMode.FillMax:
            case FitMode.Clamp:
            {
                var scale = Math.Min(scaleX, scaleY);
                if (fit == FitMode.FillMax)
                {
                    scale = Math.Min(scale, 1);
                }

                var canvasWidth = Round(boxWidth);
                var canvasHeight = Round(boxHeight);
                var pictureWidth = Math.Min(Round(width * scale), canvasWidth);
                var pictureHeight = Math.Min(Round(height * scale), canvasHeight);
                return GeometryLayout.Plain(width, height, pad) with
                {
                    ScaledWidth = pictureWidth,
                    ScaledHeight = pictureHeight,
                    CanvasWidth = canvasWidth,
                    CanvasHeight = canvasHeight,
                    PictureX = RoundOffset((canvasWidth - pictureWidth) / 2.0),
                    PictureY = RoundOffset((canvasHeight - pictureHeight) / 2.0),
                    CanvasFill = fit == FitMode.Clamp ? CanvasFill.ExtendEdges
                        : plan.Fill switch { FillMode.Blur => CanvasFill.Blur, FillMode.Gradient => CanvasFill.Gradient, _ => CanvasFill.Solid },
                };
            }

            default:
                return CropLayout(plan, width, height, boxWidth, boxHeight, pad, limits);
        }
    }

    /// <summary>fit=crop, facearea and min: cover the box, then cut it out (docs/web.md, imgix: Sizing, for crop, min and the focal point).</summary>
    private static GeometryLayout CropLayout(TransformPlan plan, int width, int height, double boxWidth, double boxHeight, Padding pad, Limits limits)
    {
        var scale = Math.Max(boxWidth / width, boxHeight / height);
        var cropWidth = Round(boxWidth);
        var cropHeight = Round(boxHeight);
        if (plan.Fit == FitMode.Min && scale > 1)
        {
            // Never enlarge: cut the largest region of the box's ratio from the unscaled picture.
            cropWidth = Math.Min(Round(boxWidth / scale), width);
            cropHeight = Math.Min(Round(boxHeight / scale), height);
            scale = 1;
        }

        var strategy = plan.Fit == FitMode.FaceArea ? CropStrategy.Edges : plan.Crop.Strategy;
        if (strategy is CropStrategy.Entropy or CropStrategy.Edges)
        {
            var scaledWidth = Math.Max(Round(width * scale), cropWidth);
            var scaledHeight = Math.Max(Round(height * scale), cropHeight);
            var tooBig = (double)scaledWidth * scaledHeight > SmartCropScaledPixelsFactor * (double)limits.MaxOutputPixels;
            if (!tooBig)
            {
                var needsCrop = scaledWidth != cropWidth || scaledHeight != cropHeight;
                return GeometryLayout.Plain(width, height, pad) with
                {
                    ScaledWidth = scaledWidth,
                    ScaledHeight = scaledHeight,
                    Crop = needsCrop
                        ? new PixelRect((scaledWidth - cropWidth) / 2, (scaledHeight - cropHeight) / 2, cropWidth, cropHeight)
                        : null,
                    SmartCrop = needsCrop ? strategy : CropStrategy.Position,
                    CanvasWidth = cropWidth,
                    CanvasHeight = cropHeight,
                };
            }

            strategy = CropStrategy.Position;
        }

        // Position and focal point: the window in picture pixels, resized straight to the crop size.
        var zoom = strategy == CropStrategy.FocalPoint && double.IsFinite(plan.Focal.Zoom) ? Math.Max(1, plan.Focal.Zoom) : 1;
        var windowWidth = Math.Min(Round(cropWidth / (scale * zoom)), width);
        var windowHeight = Math.Min(Round(cropHeight / (scale * zoom)), height);
        int x, y;
        if (strategy == CropStrategy.FocalPoint)
        {
            x = ClampOffset(plan.Focal.X * width - windowWidth / 2.0, width - windowWidth);
            y = ClampOffset(plan.Focal.Y * height - windowHeight / 2.0, height - windowHeight);
        }
        else
        {
            x = Anchor(plan.Crop.Horizontal, width - windowWidth);
            y = Anchor(plan.Crop.Vertical, height - windowHeight);
        }

        var window = new PixelRect(x, y, windowWidth, windowHeight);
        return GeometryLayout.Plain(width, height, pad) with
        {
            Window = window == new PixelRect(0, 0, width, height) ? null : window,
            ScaledWidth = cropWidth,
            ScaledHeight = cropHeight,
            CanvasWidth = cropWidth,
            CanvasHeight = cropHeight,
        };

        static int Anchor(int anchor, int slack) => anchor switch
        {
            < 0 => 0,
            > 0 => slack,
            _ => RoundOffset(slack / 2.0),
        };

        static int ClampOffset(double offset, int slack) => Math.Min(RoundOffset(offset), slack);
    }

    private static double Requested(SizeValue size, int side) =>
        size.Unit == SizeUnit.Fraction ? size.Value * side : size.Value;

    private static double ClampFree(double free, int? min, int? max)
    {
        if (max is { } upper && free > upper)
        {
            free = upper;
        }

        if (min is { } lower && free < lower)
        {
            free = lower;
        }

        return free;
    }

    private static Padding ScalePad(Padding pad, double factor) => factor == 1 ? pad : new Padding(
        RoundOffset(pad.Top * factor), RoundOffset(pad.Right * factor), RoundOffset(pad.Bottom * factor), RoundOffset(pad.Left * factor));
}
