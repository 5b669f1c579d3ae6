namespace ImageProxy.Transform;

/// <summary>
/// The overlay rows of issue 12: <c>blend</c> and <c>mark</c> with their companions. As for txt, the companions are
/// validated always but kept only when their overlay is there (the overlay row comes first in the table), so a stray
/// <c>mark-alpha</c> never splits the cache.
/// </summary>
public static partial class Parameters
{
    private const string OverlaySizeValues = "integer 2–8192 (pixels) or fraction 0–1 of the picture";
    private const string AlignValues = "comma list of top, middle, bottom and left, center, right";

    // --- blend (after mask) ---
    private static IEnumerable<ParameterDefinition> BlendParameters() =>
    [
        Def("blend", ["b"], "colour keyword or hex (alpha first), or an image: a path in the same source or an http(s) URL on a host the source allows",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is null
                ? p with { Blend = p.Blend with { Color = c } }
                : SurfaceReaders.ImageReference(v, out var image) is { } why
                    ? Bad(n, "expected a colour, " + why)
                    : p with { Blend = p.Blend with { Image = image } },
            p => p.Blend.Image?.ToQueryText()),
        Def("blend-color", ["blendcolor", "blend-clr", "blendclr"], "colour keyword or hex (alpha first): the colour blended (wins over a colour in blend)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Blend = p.Blend with { Color = c } },
            p => p.Blend.Image is null ? p.Blend.Color?.ToString() : null),
        Def("blend-mode", ["blendmode", "bm"], "normal, multiply, screen, overlay (default), darken, lighten, dodge, burn, hardlight, softlight, difference, exclusion, hue, saturation, color, luminosity",
            (p, n, v, l) => BlendModeOf(v) is { } mode ? WithBlend(p, b => b with { Mode = mode }) : Bad(n, "expected normal, multiply, screen, overlay, darken, lighten, dodge, burn, hardlight, softlight, difference, exclusion, hue, saturation, color or luminosity"),
            p => p.Blend.IsActive && p.Blend.Mode != BlendSpec.None.Mode ? p.Blend.Mode.ToString().ToLowerInvariant() : null),
        Def("blend-alpha", ["blendalpha", "balph"], "integer 0–100: the layer's opacity (default 100)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100, out var i) is { } why ? Bad(n, why) : WithBlend(p, b => b with { Alpha = i }),
            p => p.Blend.IsActive && p.Blend.Alpha != 100 ? InvariantNumbers.Format(p.Blend.Alpha) : null),
        Def("blend-align", ["blendalign", "ba"], AlignValues + " (blend image; default top,left)",
            (p, n, v, l) => Align(v, p.Blend.Horizontal, p.Blend.Vertical, out var h, out var vert) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { Horizontal = h, Vertical = vert }),
            p => p.Blend.Image is null || (p.Blend.Horizontal == BlendSpec.None.Horizontal && p.Blend.Vertical == BlendSpec.None.Vertical)
                ? null : AlignText(p.Blend.Vertical, p.Blend.Horizontal)),
        Def("blend-fit", ["blendfit", "bf"], "clamp, clip (default), crop, scale or max (blend image)",
            (p, n, v, l) => OverlayFitOf(v, allowFill: false) is { } fit ? WithBlendImage(p, b => b with { Fit = fit }) : Bad(n, "expected clamp, clip, crop, scale or max"),
            p => p.Blend.Image is not null && p.Blend.Fit != OverlayFit.Clip ? p.Blend.Fit.ToString().ToLowerInvariant() : null),
        Def("blend-w", ["blendw", "bw"], OverlaySizeValues,
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { Width = s }),
            p => p.Blend.Image is not null && p.Blend.Width is { } s ? ParameterReaders.SizeText(s) : null),
        Def("blend-h", ["blendh", "bh"], OverlaySizeValues,
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { Height = s }),
            p => p.Blend.Image is not null && p.Blend.Height is { } s ? ParameterReaders.SizeText(s) : null),
        Def("blend-x", ["blendx", "bx"], "integer 0–8192: the blend image's left edge (replaces the horizontal alignment)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { X = i }),
            p => p.Blend.Image is not null ? Int(p.Blend.X) : null),
        Def("blend-y", ["blendy", "by"], "integer 0–8192: the blend image's top edge (replaces the vertical alignment)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { Y = i }),
            p => p.Blend.Image is not null ? Int(p.Blend.Y) : null),
        Def("blend-pad", ["blendpad", "bp"], "integer 0–8192: pixels between the blend image and the aligned edges (default 0)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { Pad = i }),
            p => p.Blend.Image is not null && p.Blend.Pad != 0 ? InvariantNumbers.Format(p.Blend.Pad) : null),
        Def("blend-crop", ["blendcrop", "bc"], "comma list of top, bottom, left, right, faces (with blend-fit=crop; faces reads as centre)",
            (p, n, v, l) => BlendCrop(v, out var h, out var vert) is { } why ? Bad(n, why) : WithBlendImage(p, b => b with { CropHorizontal = h, CropVertical = vert }),
            p => p.Blend.Image is null ? null : BlendCropText(p.Blend)),
        Def("blend-size", ["blendsize", "bs"], "inherit: the blend image's box is the whole picture",
            (p, n, v, l) => v == "inherit" ? WithBlendImage(p, b => b with { Inherit = true }) : Bad(n, "expected inherit"),
            p => p.Blend.Image is not null && p.Blend.Inherit ? "inherit" : null),
    ];

    // --- watermark (after blend) ---
    private static IEnumerable<ParameterDefinition> WatermarkParameters() =>
    [
        Def("mark", ["m"], "an image: a path in the same source or an http(s) URL on a host the source allows",
            (p, n, v, l) => SurfaceReaders.ImageReference(v, out var image) is { } why ? Bad(n, why) : p with { Watermark = p.Watermark with { Image = image } },
            p => p.Watermark.Image?.ToQueryText()),
        Def("mark-base", ["mb", "markbase"], "a URL or path that a relative mark is resolved against",
            (p, n, v, l) => SurfaceReaders.ImageReference(v, out var image) is { } why ? Bad(n, why) : WithMark(p, m => m with { Base = image }),
            p => p.Watermark.Image is not null ? p.Watermark.Base?.ToQueryText() : null),
        Def("mark-fit", ["mf", "markfit"], "clip (default), crop, fill, max or scale",
            (p, n, v, l) => OverlayFitOf(v, allowFill: true) is { } fit ? WithMark(p, m => m with { Fit = fit }) : Bad(n, "expected clip, crop, fill, max or scale"),
            p => p.Watermark.Image is not null && p.Watermark.Fit != OverlayFit.Clip ? p.Watermark.Fit.ToString().ToLowerInvariant() : null),
        Def("mark-w", ["mw", "markw"], OverlaySizeValues,
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : WithMark(p, m => m with { Width = s }),
            p => p.Watermark.Image is not null && p.Watermark.Width is { } s ? ParameterReaders.SizeText(s) : null),
        Def("mark-h", ["mh", "markh"], OverlaySizeValues,
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : WithMark(p, m => m with { Height = s }),
            p => p.Watermark.Image is not null && p.Watermark.Height is { } s ? ParameterReaders.SizeText(s) : null),
        Def("mark-scale", ["ms", "markscale"], "integer 0–100: the watermark fits in this percentage of the picture's width and height",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { Scale = i }),
            p => p.Watermark.Image is not null ? Int(p.Watermark.Scale) : null),
        Def("mark-align", ["ma", "markalign"], AlignValues + " (default bottom,right)",
            (p, n, v, l) => Align(v, p.Watermark.Horizontal, p.Watermark.Vertical, out var h, out var vert) is { } why ? Bad(n, why) : WithMark(p, m => m with { Horizontal = h, Vertical = vert }),
            p => p.Watermark.Image is null || (p.Watermark.Horizontal == WatermarkSpec.None.Horizontal && p.Watermark.Vertical == WatermarkSpec.None.Vertical)
                ? null : AlignText(p.Watermark.Vertical, p.Watermark.Horizontal)),
        Def("mark-pad", ["mp", "markpad"], "integer 0–8192: pixels between the watermark and the aligned edges (default 5; spacing between tiles)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { Pad = i }),
            p => p.Watermark.Image is not null && p.Watermark.Pad != WatermarkSpec.DefaultPad ? InvariantNumbers.Format(p.Watermark.Pad) : null),
        Def("mark-x", ["mx", "markx"], "integer 0–8192: the watermark's left edge (replaces the horizontal alignment)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { X = i }),
            p => p.Watermark.Image is not null ? Int(p.Watermark.X) : null),
        Def("mark-y", ["my", "marky"], "integer 0–8192: the watermark's top edge (replaces the vertical alignment)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { Y = i }),
            p => p.Watermark.Image is not null ? Int(p.Watermark.Y) : null),
        Def("mark-alpha", ["markalpha", "malph"], "integer 0–100: the watermark's opacity (default 100)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { Alpha = i }),
            p => p.Watermark.Image is not null && p.Watermark.Alpha != 100 ? InvariantNumbers.Format(p.Watermark.Alpha) : null),
        Def("mark-rot", [], "number 0–359: degrees clockwise",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 359, out var d) is { } why ? Bad(n, why) : WithMark(p, m => m with { Rotation = d + 0.0 }),
            p => p.Watermark.Image is not null ? Num(p.Watermark.Rotation, 0) : null),
        Def("mark-tile", ["mtile", "marktile"], "grid: the watermark repeats over the whole picture",
            (p, n, v, l) => v == "grid" ? WithMark(p, m => m with { Tile = true }) : Bad(n, "expected grid"),
            p => p.Watermark.Image is not null && p.Watermark.Tile ? "grid" : null),
        Def("mark-if-min-width", [], "integer 0–100000: draw the watermark only on pictures at least this wide",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100_000, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { IfMinWidth = i }),
            p => p.Watermark.Image is not null ? Int(p.Watermark.IfMinWidth) : null),
        Def("mark-if-min-height", [], "integer 0–100000: draw the watermark only on pictures at least this high",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100_000, out var i) is { } why ? Bad(n, why) : WithMark(p, m => m with { IfMinHeight = i }),
            p => p.Watermark.Image is not null ? Int(p.Watermark.IfMinHeight) : null),
    ];

    private static TransformPlan WithMark(TransformPlan plan, Func<WatermarkSpec, WatermarkSpec> set) =>
        plan.Watermark.Image is null ? plan : plan with { Watermark = set(plan.Watermark) };

    private static TransformPlan WithBlend(TransformPlan plan, Func<BlendSpec, BlendSpec> set) =>
        plan.Blend.IsActive ? plan with { Blend = set(plan.Blend) } : plan;

    // Sizing and placement only mean something for a blend image; a colour covers the whole picture.
    private static TransformPlan WithBlendImage(TransformPlan plan, Func<BlendSpec, BlendSpec> set) =>
        plan.Blend.Image is null ? plan : plan with { Blend = set(plan.Blend) };

    private static string AlignText(VerticalAnchor vertical, HorizontalAnchor horizontal) =>
        $"{vertical.ToString().ToLowerInvariant()},{horizontal.ToString().ToLowerInvariant()}";

    private static OverlayFit? OverlayFitOf(string value, bool allowFill) => value switch
    {
        "clip" => OverlayFit.Clip,
        "crop" => OverlayFit.Crop,
        "max" => OverlayFit.Max,
        "scale" => OverlayFit.Scale,
        "fill" when allowFill => OverlayFit.Fill,
        "clamp" when !allowFill => OverlayFit.Clamp,
        _ => null,
    };

    private static BlendMode? BlendModeOf(string value) => value switch
    {
        "normal" => BlendMode.Normal,
        "multiply" => BlendMode.Multiply,
        "screen" => BlendMode.Screen,
        "overlay" => BlendMode.Overlay,
        "darken" => BlendMode.Darken,
        "lighten" => BlendMode.Lighten,
        "dodge" => BlendMode.Dodge,
        "burn" => BlendMode.Burn,
        "hardlight" => BlendMode.HardLight,
        "softlight" => BlendMode.SoftLight,
        "difference" => BlendMode.Difference,
        "exclusion" => BlendMode.Exclusion,
        "hue" => BlendMode.Hue,
        "saturation" => BlendMode.Saturation,
        "color" => BlendMode.Color,
        "luminosity" => BlendMode.Luminosity,
        _ => null,
    };

    private static string? BlendCrop(string value, out int horizontal, out int vertical)
    {
        (horizontal, vertical) = (0, 0);
        foreach (var item in value.Split(','))
        {
            switch (item)
            {
                case "left": horizontal = -1; break;
                case "right": horizontal = 1; break;
                case "top": vertical = -1; break;
                case "bottom": vertical = 1; break;
                case "faces": break; // no face detection on overlay images: centre
                default: return "expected a comma list of top, bottom, left, right, faces";
            }
        }

        return null;
    }

    private static string? BlendCropText(BlendSpec blend)
    {
        var items = new List<string>(2);
        if (blend.CropVertical != 0) items.Add(blend.CropVertical < 0 ? "top" : "bottom");
        if (blend.CropHorizontal != 0) items.Add(blend.CropHorizontal < 0 ? "left" : "right");
        return items.Count == 0 ? null : string.Join(',', items);
    }
}
