namespace ImageProxy.Transform;

/// <summary>
/// The issue-11 rows of the parameter table (adjustments, stylize, border, mask, trim, fill gradients, encoder
/// options, rot-type, fp-debug), one group per method so that <see cref="BuildTable"/> splices each group in at its
/// place in the canonical order. Ranges are imgix's (docs/web.md, imgix: Parameters); where imgix only suggests a range, the
/// suggested one is enforced (a 400 beyond it), as for <c>blur</c> and <c>sharp</c>.
/// </summary>
public static partial class Parameters
{
    private static ParameterDefinition NoEffectDef(string name, string[] aliases, string values, string reason, Func<string, string?> validate)
        => new(name, aliases, values, (p, n, v, l) => validate(v) is { } why ? Bad(n, why) : p, _ => null, reason);

    private static string? SignedInt(int value) => value == 0 ? null : InvariantNumbers.Format(value);

    private static Result<TransformPlan> Adjust(TransformPlan p, string n, string v, int min, int max, Func<Adjustments, int, Adjustments> set)
        => SurfaceReaders.SignedInteger(v, min, max, out var i) is { } why ? Bad(n, why) : p with { Adjust = set(p.Adjust, i) };

    private static Result<TransformPlan> Style(TransformPlan p, string n, string v, Func<Stylize, int, Stylize> set)
        => ParameterReaders.Integer(v, 0, 100, out var i) is { } why ? Bad(n, why) : p with { Style = set(p.Style, i) };

    private static Result<TransformPlan> Trimming(TransformPlan p, string n, string v, double max, Func<TrimSpec, double, TrimSpec> set)
        => ParameterReaders.Number(v, 0, max, out var d) is { } why ? Bad(n, why) : p with { Trim = set(p.Trim, d) };

    private static Result<TransformPlan> BorderSide(TransformPlan p, string n, string v, Func<Padding, int, Padding> set)
        => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Border = p.Border with { Width = set(p.Border.Width, i) } };

    /// <summary>A border side is written on its own when the sides differ, or when there is no <c>border</c> to carry the width.</summary>
    private static string? BorderSideText(BorderSpec border, int side)
        => side != 0 && (!AllSidesEqual(border.Width) || border.Color is null) ? InvariantNumbers.Format(side) : null;

    private static string? Bool(bool value) => value ? "1" : null;

    // --- focal point (after fp-z) ---
    private static IEnumerable<ParameterDefinition> FocalPointDebugParameters() =>
    [
        Def("fp-debug", [], "true, false, 1 or 0: draws the focal point and the crop box",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { FocalPointDebug = b },
            p => Bool(p.FocalPointDebug)),
    ];

    // --- fill gradient and generative fill (after fill-color) ---
    private static IEnumerable<ParameterDefinition> FillParameters()
    {
        const string NoGenerative = "no generative model here: fill=gen renders as fill=blur";
        return
        [
            Def("fill-gradient-type", [], "linear (default) or radial (with fill=gradient)",
                (p, n, v, l) => v switch
                {
                    "linear" => p with { Gradient = p.Gradient with { Type = GradientType.Linear } },
                    "radial" => p with { Gradient = p.Gradient with { Type = GradientType.Radial } },
                    _ => Bad(n, "expected linear or radial"),
                },
                p => p.Gradient.Type == GradientType.Radial ? "radial" : null),
            Def("fill-gradient-cs", [], "srgb (default), linear, oklab, hsl or lch: the space colours are interpolated in",
                (p, n, v, l) => v switch
                {
                    "srgb" => p with { Gradient = p.Gradient with { ColorSpace = GradientColorSpace.Srgb } },
                    "linear" => p with { Gradient = p.Gradient with { ColorSpace = GradientColorSpace.Linear } },
                    "oklab" => p with { Gradient = p.Gradient with { ColorSpace = GradientColorSpace.Oklab } },
                    "hsl" => p with { Gradient = p.Gradient with { ColorSpace = GradientColorSpace.Hsl } },
                    "lch" => p with { Gradient = p.Gradient with { ColorSpace = GradientColorSpace.Lch } },
                    _ => Bad(n, "expected srgb, linear, oklab, hsl or lch"),
                },
                p => p.Gradient.ColorSpace == GradientColorSpace.Srgb ? null : p.Gradient.ColorSpace.ToString().ToLowerInvariant()),
            Def("fill-gradient-linear", [], "two colours, start,end",
                (p, n, v, l) => SurfaceReaders.ColorPair(v, out var c) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { Linear = c } },
                p => p.Gradient.Linear is { } c ? SurfaceReaders.ColorPairText(c) : null),
            Def("fill-gradient-linear-direction", [], "top, bottom, left or right (the side it flows towards), or from,to (default top,bottom)",
                (p, n, v, l) => SurfaceReaders.Direction(v, out var from, out var to) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { From = from, To = to } },
                p => p.Gradient.From == Side.Top && p.Gradient.To == Side.Bottom ? null : SurfaceReaders.DirectionText(p.Gradient.From, p.Gradient.To)),
            Def("fill-gradient-radial", [], "two colours, centre,outer",
                (p, n, v, l) => SurfaceReaders.ColorPair(v, out var c) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { Radial = c } },
                p => p.Gradient.Radial is { } c ? SurfaceReaders.ColorPairText(c) : null),
            Def("fill-gradient-radial-radius", [], "inner,outer: pixels 2–8192 or fractions 0–1 of the smaller side (default 0.25,0.5)",
                (p, n, v, l) => SurfaceReaders.GradientRadii(v, out var inner, out var outer) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { InnerRadius = inner, OuterRadius = outer } },
                p => p.Gradient.InnerRadius == GradientSpec.Default.InnerRadius && p.Gradient.OuterRadius == GradientSpec.Default.OuterRadius
                    ? null
                    : SurfaceReaders.LengthText(p.Gradient.InnerRadius) + "," + SurfaceReaders.LengthText(p.Gradient.OuterRadius)),
            Def("fill-gradient-radial-x", [], "pixels 2–8192 or fraction 0–1 of the width (default 0.5)",
                (p, n, v, l) => SurfaceReaders.GradientLength(v, out var x) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { CenterX = x } },
                p => p.Gradient.CenterX == GradientSpec.Default.CenterX ? null : SurfaceReaders.LengthText(p.Gradient.CenterX)),
            Def("fill-gradient-radial-y", [], "pixels 2–8192 or fraction 0–1 of the height (default 0.5)",
                (p, n, v, l) => SurfaceReaders.GradientLength(v, out var y) is { } why ? Bad(n, why) : p with { Gradient = p.Gradient with { CenterY = y } },
                p => p.Gradient.CenterY == GradientSpec.Default.CenterY ? null : SurfaceReaders.LengthText(p.Gradient.CenterY)),
            NoEffectDef("fill-gen-fallback", ["fill-generative-fallback"], "true, false, 1 or 0", NoGenerative,
                v => ParameterReaders.Boolean(v, out _)),
            NoEffectDef("fill-gen-neg-prompt", ["fill-generative-negative-prompt"], "text", NoGenerative, _ => null),
            NoEffectDef("fill-gen-pos", ["fill-generative-position"], "comma list of top, bottom, middle, left, right, center", NoGenerative,
                v => v.Split(',').All(i => i is "top" or "bottom" or "middle" or "left" or "right" or "center") ? null : "expected a comma list of top, bottom, middle, left, right, center"),
            NoEffectDef("fill-gen-prompt", ["fill-generative-prompt"], "text", NoGenerative, _ => null),
            NoEffectDef("fill-gen-seed", ["fill-generative-seed"], "integer ≥ 0", NoGenerative,
                v => InvariantNumbers.TryReadLong(v, out _) ? null : "expected an integer ≥ 0"),
        ];
    }

    // --- border (after pad-left) ---
    private static IEnumerable<ParameterDefinition> BorderParameters() =>
    [
        Def("border", [], "width,colour: integer 0–8192 and a colour keyword or hex (alpha first), e.g. 10,000",
            (p, n, v, l) => SurfaceReaders.Border(v, out var width, out var color) is { } why
                ? Bad(n, why)
                : p with { Border = p.Border with { Width = new Padding(width, width, width, width), Color = color } },
            p => p.Border.Color is { } c ? (AllSidesEqual(p.Border.Width) ? InvariantNumbers.Format(p.Border.Width.Top) : "0") + "," + c : null),
        Def("border-top", [], "integer 0–8192, overrides border's width for the top side",
            (p, n, v, l) => BorderSide(p, n, v, (w, i) => w with { Top = i }),
            p => BorderSideText(p.Border, p.Border.Width.Top)),
        Def("border-right", [], "integer 0–8192, overrides border's width for the right side",
            (p, n, v, l) => BorderSide(p, n, v, (w, i) => w with { Right = i }),
            p => BorderSideText(p.Border, p.Border.Width.Right)),
        Def("border-bottom", [], "integer 0–8192, overrides border's width for the bottom side",
            (p, n, v, l) => BorderSide(p, n, v, (w, i) => w with { Bottom = i }),
            p => BorderSideText(p.Border, p.Border.Width.Bottom)),
        Def("border-left", [], "integer 0–8192, overrides border's width for the left side",
            (p, n, v, l) => BorderSide(p, n, v, (w, i) => w with { Left = i }),
            p => BorderSideText(p.Border, p.Border.Width.Left)),
        Def("border-radius", [], "one radius or four (top-left, top-right, bottom-right, bottom-left), integers 0–8192: rounds the outer corners",
            (p, n, v, l) => SurfaceReaders.Radii(v, out var r) is { } why ? Bad(n, why) : p with { Border = p.Border with { OuterRadius = r } },
            p => p.Border.OuterRadius.IsNone ? null : SurfaceReaders.RadiiText(p.Border.OuterRadius)),
        Def("border-radius-inner", [], "one radius or four, integers 0–8192: rounds the picture's corners inside the border",
            (p, n, v, l) => SurfaceReaders.Radii(v, out var r) is { } why ? Bad(n, why) : p with { Border = p.Border with { InnerRadius = r } },
            p => p.Border.InnerRadius.IsNone ? null : SurfaceReaders.RadiiText(p.Border.InnerRadius)),
        Def("border-stroke-color", [], "colour keyword or hex (alpha first)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Border = p.Border with { StrokeColor = c } },
            p => p.Border.StrokeColor?.ToString()),
        Def("border-stroke-size", [], "integer 0–100",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100, out var i) is { } why ? Bad(n, why) : p with { Border = p.Border with { StrokeSize = i } },
            p => Int(p.Border.StrokeSize == 0 ? null : p.Border.StrokeSize)),
    ];

    // --- trim (before the size group's effects in rendering; here after border) ---
    private static IEnumerable<ParameterDefinition> TrimParameters() =>
    [
        Def("trim", [], "auto, color, alpha or colorunlessalpha",
            (p, n, v, l) => v switch
            {
                "auto" => p with { Trim = p.Trim with { Mode = TrimMode.Auto } },
                "color" => p with { Trim = p.Trim with { Mode = TrimMode.Color } },
                "alpha" => p with { Trim = p.Trim with { Mode = TrimMode.Alpha } },
                "colorunlessalpha" => p with { Trim = p.Trim with { Mode = TrimMode.ColorUnlessAlpha } },
                _ => Bad(n, "expected auto, color, alpha or colorunlessalpha"),
            },
            p => p.Trim.Mode == TrimMode.None ? null : p.Trim.Mode.ToString().ToLowerInvariant()),
        Def("trim-color", ["trimcolor"], "colour keyword or hex (alpha first); default the top-left pixel",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Trim = p.Trim with { Color = c } },
            p => p.Trim.Color?.ToString()),
        Def("trim-md", ["trimmd"], "number 0–1000 (default 11)",
            (p, n, v, l) => Trimming(p, n, v, 1000, (t, d) => t with { MeanDifference = d }),
            p => Num(p.Trim.MeanDifference, TrimSpec.DefaultMeanDifference)),
        Def("trim-sd", ["trimsd"], "number 0–1000 (default 10)",
            (p, n, v, l) => Trimming(p, n, v, 1000, (t, d) => t with { StandardDeviation = d }),
            p => Num(p.Trim.StandardDeviation, TrimSpec.DefaultStandardDeviation)),
        Def("trim-tol", ["trimtol"], "number 0–255 (default 0)",
            (p, n, v, l) => Trimming(p, n, v, 255, (t, d) => t with { Tolerance = d }),
            p => Num(p.Trim.Tolerance, 0)),
        Def("trim-alpha", [], "number 0–255 (default 0)",
            (p, n, v, l) => Trimming(p, n, v, 255, (t, d) => t with { Alpha = d }),
            p => p.Trim.Alpha is { } a ? InvariantNumbers.Format(a) : null),
        Def("trim-pad", ["trimpad"], "integer −200–200 (default 0)",
            (p, n, v, l) => SurfaceReaders.SignedInteger(v, -200, 200, out var i) is { } why ? Bad(n, why) : p with { Trim = p.Trim with { Pad = i } },
            p => SignedInt(p.Trim.Pad)),
    ];

    // --- rotation type (after rot) ---
    private static IEnumerable<ParameterDefinition> RotationTypeParameters() =>
    [
        Def("rot-type", ["rottype", "rott"], "straighten (default) or pivot",
            (p, n, v, l) => v switch
            {
                "straighten" => p with { RotationType = RotationType.Straighten },
                "pivot" => p with { RotationType = RotationType.Pivot },
                _ => Bad(n, "expected pivot or straighten"),
            },
            p => p.RotationType == RotationType.Pivot ? "pivot" : null),
    ];

    // --- adjustments and stylize (after sharp) ---
    private static IEnumerable<ParameterDefinition> AdjustmentParameters() =>
    [
        Def("bri", [], "integer −100–100",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Brightness = i }),
            p => SignedInt(p.Adjust.Brightness)),
        Def("con", [], "integer −100–100",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Contrast = i }),
            p => SignedInt(p.Adjust.Contrast)),
        Def("exp", [], "integer −100–100 (±100 = ±2 stops)",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Exposure = i }),
            p => SignedInt(p.Adjust.Exposure)),
        Def("gam", [], "integer −100–100",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Gamma = i }),
            p => SignedInt(p.Adjust.Gamma)),
        Def("high", [], "integer −100–0",
            (p, n, v, l) => Adjust(p, n, v, -100, 0, (a, i) => a with { Highlights = i }),
            p => SignedInt(p.Adjust.Highlights)),
        Def("shad", [], "number 0–100",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 100, out var d) is { } why ? Bad(n, why) : p with { Adjust = p.Adjust with { Shadows = d } },
            p => Num(p.Adjust.Shadows, 0)),
        Def("sat", [], "integer −100–100 (−100 = greyscale)",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Saturation = i }),
            p => SignedInt(p.Adjust.Saturation)),
        Def("vib", [], "integer −100–100",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { Vibrance = i }),
            p => SignedInt(p.Adjust.Vibrance)),
        Def("hue", [], "integer −360–360 degrees, normalised to 0–359",
            (p, n, v, l) => Adjust(p, n, v, -360, 360, (a, i) => a with { Hue = ((i % 360) + 360) % 360 }),
            p => SignedInt(p.Adjust.Hue)),
        Def("invert", ["inv"], "true, false, 1 or 0",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { Adjust = p.Adjust with { Invert = b } },
            p => Bool(p.Adjust.Invert)),
        Def("usm", [], "integer −100–100",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { UnsharpMask = i }),
            p => SignedInt(p.Adjust.UnsharpMask)),
        Def("usmrad", [], "number 0–500 (default 2.5; with usm)",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 500, out var d) is { } why ? Bad(n, why) : p with { Adjust = p.Adjust with { UnsharpRadius = d } },
            p => Num(p.Adjust.UnsharpRadius, Adjustments.DefaultUnsharpRadius)),
        Def("nr", [], "integer −100–100 (noise reduction strength)",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { NoiseReduction = i }),
            p => p.Adjust.NoiseReduction is { } r ? InvariantNumbers.Format(r) : null),
        Def("nrs", [], "integer −100–100 (edges above this contrast are kept sharp; default 20)",
            (p, n, v, l) => Adjust(p, n, v, -100, 100, (a, i) => a with { NoiseSharpen = i }),
            p => p.Adjust.NoiseSharpen is { } s ? InvariantNumbers.Format(s) : null),
        Def("monochrome", ["mono"], "colour keyword or hex (alpha first; the alpha is the strength)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Style = p.Style with { Monochrome = c } },
            p => p.Style.Monochrome?.ToString()),
        Def("sepia", [], "integer 0–100",
            (p, n, v, l) => Style(p, n, v, (s, i) => s with { Sepia = i }),
            p => Int(p.Style.Sepia == 0 ? null : p.Style.Sepia)),
        Def("duotone", [], "two colours, shadows,highlights",
            (p, n, v, l) => SurfaceReaders.ColorPair(v, out var c) is { } why ? Bad(n, why) : p with { Style = p.Style with { Duotone = c } },
            p => p.Style.Duotone is { } c ? SurfaceReaders.ColorPairText(c) : null),
        Def("duotone-alpha", [], "integer 0–100 (default 100)",
            (p, n, v, l) => Style(p, n, v, (s, i) => s with { DuotoneAlpha = i }),
            p => p.Style.DuotoneAlpha == 100 ? null : InvariantNumbers.Format(p.Style.DuotoneAlpha)),
        Def("htn", [], "integer 0–100 (halftone)",
            (p, n, v, l) => Style(p, n, v, (s, i) => s with { Halftone = i }),
            p => Int(p.Style.Halftone == 0 ? null : p.Style.Halftone)),
        Def("px", [], "integer 0–100 (pixel block size)",
            (p, n, v, l) => Style(p, n, v, (s, i) => s with { Pixelate = i }),
            p => Int(p.Style.Pixelate == 0 ? null : p.Style.Pixelate)),
    ];

    // --- mask (after the adjustments: part of the effects) ---
    private static IEnumerable<ParameterDefinition> MaskParameters() =>
    [
        Def("mask", [], "ellipse, corners, or an image: a path in the same source or an http(s) URL on a host the source allows",
            (p, n, v, l) => v switch
            {
                "ellipse" => p with { Mask = p.Mask with { Kind = MaskKind.Ellipse, Image = null } },
                "corners" => p with { Mask = p.Mask with { Kind = MaskKind.Corners, Image = null } },
                _ => SurfaceReaders.ImageReference(v, out var reference) is { } why
                    ? Bad(n, why)
                    : p with { Mask = p.Mask with { Kind = MaskKind.Image, Image = reference } },
            },
            p => p.Mask.Kind switch
            {
                MaskKind.Ellipse => "ellipse",
                MaskKind.Corners => "corners",
                MaskKind.Image => p.Mask.Image!.ToQueryText(),
                _ => null,
            }),
        Def("corner-radius", [], "one radius or four (top-left, top-right, bottom-right, bottom-left), integers 0–8192 (with mask=corners; default 10)",
            (p, n, v, l) => SurfaceReaders.Radii(v, out var r) is { } why ? Bad(n, why) : p with { Mask = p.Mask with { CornerRadius = r } },
            p => p.Mask.CornerRadius is { } r ? SurfaceReaders.RadiiText(r) : null),
        Def("mask-bg", ["maskbg"], "colour keyword or hex (alpha first); default transparent",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Mask = p.Mask with { Background = c } },
            p => p.Mask.Background?.ToString()),
    ];

    // --- encoder options (after lossless) ---
    private static IEnumerable<ParameterDefinition> EncodingParameters() =>
    [
        Def("jpg-progressive", ["jpeg-progressive"], "true, false, 1 or 0: progressive JPEG (default false here; fm=pjpg sets it)",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { Progressive = b },
            // fm=pjpg already says it when the format is JPEG.
            p => p.Progressive && p.Format != ImageFormat.Jpeg ? "1" : null),
        Def("chromasub", [], "444, 422 or 420 (JPEG, AVIF; default 420)",
            (p, n, v, l) => v is "444" or "422" or "420"
                ? p with { Encoding = p.Encoding with { ChromaSubsampling = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) } }
                : Bad(n, "expected 444, 422 or 420"),
            p => Int(p.Encoding.ChromaSubsampling)),
        Def("colorquant", [], "integer 2–256: at most this many colours (palette output: fm=png8, gif)",
            (p, n, v, l) => ParameterReaders.Integer(v, 2, 256, out var i) is { } why ? Bad(n, why) : p with { Encoding = p.Encoding with { ColorQuant = i } },
            p => Int(p.Encoding.ColorQuant)),
        Def("cs", [], "srgb, tinysrgb, strip, origin or adobergb1998",
            (p, n, v, l) => v switch
            {
                "srgb" => p with { Encoding = p.Encoding with { ColorSpace = OutputColorSpace.Srgb } },
                "tinysrgb" => p with { Encoding = p.Encoding with { ColorSpace = OutputColorSpace.TinySrgb } },
                "strip" => p with { Encoding = p.Encoding with { ColorSpace = OutputColorSpace.Strip } },
                "origin" => p with { Encoding = p.Encoding with { ColorSpace = OutputColorSpace.Origin } },
                "adobergb1998" => p with { Encoding = p.Encoding with { ColorSpace = OutputColorSpace.AdobeRgb1998 } },
                _ => Bad(n, "expected srgb, tinysrgb, strip, origin or adobergb1998"),
            },
            // strip renders exactly as no cs at all, so both share one cache key.
            p => p.Encoding.ColorSpace is OutputColorSpace.Default or OutputColorSpace.Strip ? null : p.Encoding.ColorSpace.ToString().ToLowerInvariant()),
        Def("dpi", [], "integer 1–10000: the resolution written into the output",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 10000, out var i) is { } why ? Bad(n, why) : p with { Encoding = p.Encoding with { Dpi = i } },
            p => Int(p.Encoding.Dpi)),
        Def("iptc", [], "allow or block: allow keeps the source's IPTC block in a JPEG output (default block)",
            (p, n, v, l) => v is "allow" or "block" ? p with { Encoding = p.Encoding with { KeepIptc = v == "allow" } } : Bad(n, "expected allow or block"),
            p => p.Encoding.KeepIptc ? "allow" : null),
        NoEffectDef("svg-sanitize", [], "true, false, 1 or 0", "SVG is never served as SVG: it is rasterised with no external references, so there is nothing to sanitise",
            v => ParameterReaders.Boolean(v, out _)),
    ];
}
