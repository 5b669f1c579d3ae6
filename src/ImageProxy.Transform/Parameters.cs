namespace ImageProxy.Transform;

/// <summary>
/// The single table of supported imgix parameters (docs/web.md, imgix: Parameters). Order matters twice: the plan
/// builder applies parameters in this order (so <c>pad</c> is applied before <c>pad-top</c>… and the
/// per-side values win whatever the URL order), and the canonical cache-key text lists them in this order.
/// Anything not in the table (ixlib, cb, txt, mark…) is ignored, or refused by a source that rejects unsupported
/// imgix parameters (<see cref="ImgixParameters"/>). The issue-11 groups live in Parameters.Surface.cs.
/// </summary>
public static partial class Parameters
{
    /// <summary>More query parameters than this is refused with 400 (a cheap guard against abusive URLs).</summary>
    public const int MaxParameterCount = 100;

    /// <summary>Longest accepted <c>dl</c> file name.</summary>
    public const int MaxDownloadNameLength = 255;

    /// <summary>The <c>auto</c> key: the only parameter whose repeats accumulate instead of the last one winning.</summary>
    public const string Auto = "auto";

    /// <summary>Every supported parameter, in application and canonical order.</summary>
    public static IReadOnlyList<ParameterDefinition> All { get; } = BuildTable();

    private static readonly Dictionary<string, ParameterDefinition> ByKey = IndexByKey(All);

    /// <summary>Finds a parameter by its canonical key or an alias (case-sensitive, as imgix keys are); null when unsupported.</summary>
    public static ParameterDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    private static Dictionary<string, ParameterDefinition> IndexByKey(IReadOnlyList<ParameterDefinition> all)
    {
        var index = new Dictionary<string, ParameterDefinition>(StringComparer.Ordinal);
        foreach (var definition in all)
        {
            index.Add(definition.Name, definition);
            foreach (var alias in definition.Aliases)
            {
                index.Add(alias, definition);
            }
        }

        return index;
    }

    private static TransformError Bad(string name, string why) => TransformError.BadParameter(name, why);

    private static string? Num(double value, double defaultValue) => value == defaultValue ? null : InvariantNumbers.Format(value);

    private static string? Int(int? value) => value is { } v ? InvariantNumbers.Format(v) : null;

    private static bool AllSidesEqual(Padding pad) => pad.Top == pad.Right && pad.Top == pad.Bottom && pad.Top == pad.Left;

    private static string? PadSide(Padding pad, int side) => AllSidesEqual(pad) || side == 0 ? null : InvariantNumbers.Format(side);

    private static ParameterDefinition Def(string name, string[] aliases, string values, ParameterApplier apply, Func<TransformPlan, string?> canonical)
        => new(name, aliases, values, apply, canonical);

    private static List<ParameterDefinition> BuildTable() =>
    [
        // --- size ---
        Def("w", ["width"], "integer 1–8192 (pixels) or fraction 0–1 of the source width (1 = full width)",
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : p with { Width = s },
            p => p.Width is { } s ? ParameterReaders.SizeText(s) : null),
        Def("h", ["height"], "integer 1–8192 (pixels) or fraction 0–1 of the source height (1 = full height)",
            (p, n, v, l) => ParameterReaders.Size(v, out var s) is { } why ? Bad(n, why) : p with { Height = s },
            p => p.Height is { } s ? ParameterReaders.SizeText(s) : null),
        Def("fit", ["f"], "clamp, clip (default), crop, facearea, fill, fillmax, max, min, scale; facearea,<fit> uses the fallback",
            ApplyFit,
            p => p.Fit == FitMode.Clip ? null : p.FaceFallback is { } fallback ? "facearea," + FitText(fallback) : FitText(p.Fit)),
        Def("facepad", [], "number 1–10: the face area of fit=facearea grows by this factor (default 1)",
            (p, n, v, l) => ParameterReaders.Number(v, 1, 10, out var pad) is { } why ? Bad(n, why) : p with { FacePad = pad },
            p => Num(p.FacePad, 1)),
        Def("faceindex", [], "integer ≥ 1: the face fit=facearea crops to, largest first (default: all faces)",
            (p, n, v, l) => InvariantNumbers.TryReadInteger(v, out var i) && i >= 1 ? p with { FaceIndex = i } : Bad(n, "expected an integer ≥ 1"),
            p => p.FaceIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Def("face-blur", [], "number 0–100: blurs every detected face (100 = a gaussian of a quarter of the face width)",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 100, out var b) is { } why ? Bad(n, why) : p with { FaceBlur = b },
            p => Num(p.FaceBlur, 0)),
        Def("faces", [], "1: fm=json lists the detected faces (Faces, bounds in source pixels); 0 = not",
            (p, n, v, l) => v switch
            {
                "1" => p with { JsonFaces = true },
                "0" => p with { JsonFaces = false },
                _ => Bad(n, "expected 1 or 0"),
            },
            p => p.JsonFaces ? "1" : null),
        Def("face-pixel", ["face-pixelate"], "number 0–100: pixelates every detected face (100 = blocks of a quarter of the face width)",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 100, out var b) is { } why ? Bad(n, why) : p with { FacePixel = b },
            p => Num(p.FacePixel, 0)),
        Def("crop", [], "comma list of top, bottom, left, right, faces, entropy, edges, focalpoint (center/middle tolerated)",
            (p, n, v, l) => ParameterReaders.Crop(v, out var c) is { } why ? Bad(n, why) : p with { Crop = c },
            p => ParameterReaders.CropText(p.Crop)),
        Def("fp-x", [], "number 0–1",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 1, out var x) is { } why ? Bad(n, why) : p with { Focal = p.Focal with { X = x } },
            p => Num(p.Focal.X, FocalPoint.Center.X)),
        Def("fp-y", [], "number 0–1",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 1, out var y) is { } why ? Bad(n, why) : p with { Focal = p.Focal with { Y = y } },
            p => Num(p.Focal.Y, FocalPoint.Center.Y)),
        Def("fp-z", [], "number 1–100",
            (p, n, v, l) => ParameterReaders.Number(v, 1, 100, out var z) is { } why ? Bad(n, why) : p with { Focal = p.Focal with { Zoom = z } },
            p => Num(p.Focal.Zoom, FocalPoint.Center.Zoom)),
        .. FocalPointDebugParameters(),
        Def("ar", [], "W:H with positive numbers (with fit=crop or fit=fill)",
            (p, n, v, l) => ParameterReaders.Ratio(v, out var r) is { } why ? Bad(n, why) : p with { AspectRatio = r },
            p => p.AspectRatio is { } r ? InvariantNumbers.Format(r) + ":1" : null),
        Def("dpr", [], "number greater than 0, at most 5 (the configured MaxDpr)",
            (p, n, v, l) => ParameterReaders.Number(v, 0, l.MaxDpr, out var d, minExclusive: true) is { } why ? Bad(n, why) : p with { Dpr = d },
            p => Num(p.Dpr, 1)),
        Def("rect", [], "x,y,w,h: x px/fraction/left/center/right, y px/fraction/top/middle/bottom, w and h px/fraction/full",
            (p, n, v, l) => ParameterReaders.Rect(v, out var r) is { } why ? Bad(n, why) : p with { Rect = r },
            p => p.Rect is { } r ? ParameterReaders.RectText(r) : null),
        Def("max-w", ["max-width"], "integer 1–8192 (fit=crop only)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { MaxWidth = i },
            p => Int(p.MaxWidth)),
        Def("max-h", ["max-height"], "integer 1–8192 (fit=crop only)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { MaxHeight = i },
            p => Int(p.MaxHeight)),
        Def("min-w", ["min-width"], "integer 1–8192 (fit=crop only)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { MinWidth = i },
            p => Int(p.MinWidth)),
        Def("min-h", ["min-height"], "integer 1–8192 (fit=crop only)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { MinHeight = i },
            p => Int(p.MinHeight)),

        // --- canvas ---
        Def("bg", [], "colour keyword or hex RGB, ARGB, RRGGBB, AARRGGBB (alpha first)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { Background = c },
            p => p.Background?.ToString()),
        Def("fill", [], "solid, blur, gradient, or gen/generative (rendered as blur) (with fit=fill or fit=fillmax)",
            (p, n, v, l) => v switch
            {
                "solid" => p with { Fill = FillMode.Solid },
                // No generative model here: the documented fallback is the content-aware blur fill.
                "blur" or "gen" or "generative" => p with { Fill = FillMode.Blur },
                "gradient" => p with { Fill = FillMode.Gradient },
                _ => Bad(n, "expected solid, blur, gradient, gen or generative"),
            },
            p => p.Fill switch { FillMode.Blur => "blur", FillMode.Gradient => "gradient", _ => null }),
        Def("fill-color", ["fillcolor"], "colour keyword or hex RGB, ARGB, RRGGBB, AARRGGBB (alpha first)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : p with { FillColor = c },
            p => p.FillColor?.ToString()),
        .. FillParameters(),
        Def("pad", [], "integer 0–8192, all four sides",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Pad = new Padding(i, i, i, i) },
            p => AllSidesEqual(p.Pad) && !p.Pad.IsNone ? InvariantNumbers.Format(p.Pad.Top) : null),
        Def("pad-top", [], "integer 0–8192, overrides pad for the top side",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Pad = p.Pad with { Top = i } },
            p => PadSide(p.Pad, p.Pad.Top)),
        Def("pad-right", [], "integer 0–8192, overrides pad for the right side",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Pad = p.Pad with { Right = i } },
            p => PadSide(p.Pad, p.Pad.Right)),
        Def("pad-bottom", [], "integer 0–8192, overrides pad for the bottom side",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Pad = p.Pad with { Bottom = i } },
            p => PadSide(p.Pad, p.Pad.Bottom)),
        Def("pad-left", [], "integer 0–8192, overrides pad for the left side",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : p with { Pad = p.Pad with { Left = i } },
            p => PadSide(p.Pad, p.Pad.Left)),
        .. BorderParameters(),
        .. TrimParameters(),

        // --- rotation ---
        Def("rot", [], "any number of degrees, normalised to [0, 360)",
            (p, n, v, l) => InvariantNumbers.TryReadDecimal(v, out var degrees) ? p with { Rotation = NormaliseDegrees(degrees) } : Bad(n, "expected a number of degrees"),
            p => Num(p.Rotation, 0)),
        .. RotationTypeParameters(),
        Def("flip", [], "h, v or hv",
            (p, n, v, l) => v switch
            {
                "h" => p with { Flip = FlipMode.Horizontal },
                "v" => p with { Flip = FlipMode.Vertical },
                "hv" or "vh" => p with { Flip = FlipMode.Both },
                _ => Bad(n, "expected h, v or hv"),
            },
            p => p.Flip switch { FlipMode.Horizontal => "h", FlipMode.Vertical => "v", FlipMode.Both => "hv", _ => null }),
        Def("orient", ["or"], "0–8 (EXIF orientation; 0 = none) or 90, 180, 270 (degrees clockwise)",
            ApplyOrientation,
            p => Int(p.Orientation)),

        // --- adjustments ---
        Def("blur", [], "number 0–2000",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 2000, out var b) is { } why ? Bad(n, why) : p with { Blur = b },
            p => Num(p.Blur, 0)),
        Def("sharp", [], "number 0–100",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 100, out var s) is { } why ? Bad(n, why) : p with { Sharpen = s },
            p => Num(p.Sharpen, 0)),
        .. AdjustmentParameters(),
        .. MaskParameters(),
        .. BlendParameters(),
        .. WatermarkParameters(),

        // --- output ---
        Def("fm", [], "jpg (jpeg), pjpg, png, png8 (palette), png32, webp, avif, gif, jxl; json (metadata document), blurhash (placeholder string)",
            ApplyFormat,
            p => p.Document != DocumentOutput.None ? DocumentText(p.Document) : p.Format is { } f ? (f == ImageFormat.Png && p.Encoding.Palette ? "png8" : FormatChoice.FormatParameterText(f, p.Progressive)) : null),
        Def("q", [], "integer 0–100 (default 75, 45 with auto=compress)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 100, out var q) is { } why ? Bad(n, why) : p with { Quality = q },
            p => Int(p.Quality)),
        Def("lossless", [], "true, false, 1 or 0",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { Lossless = b },
            p => p.Lossless ? "1" : null),
        .. EncodingParameters(),
        .. DocumentParameters(),
        .. AnimationParameters(),
        .. TextParameters(),
        .. PdfParameters(),
        Def(Auto, [], "comma list (repeatable) of format, compress, enhance (true = enhance), redeye (accepted, no effect)",
            ApplyAuto,
            p => AutoText(p)),
        Def("dl", [], "download file name, at most 255 characters",
            (p, n, v, l) => v.Length > MaxDownloadNameLength ? Bad(n, $"longer than {MaxDownloadNameLength} characters") : p with { DownloadName = v },
            p => p.DownloadName is { } d ? QueryText.Encode(d) : null),

        // --- security ---
        Def("expires", [], "Unix time in seconds",
            (p, n, v, l) => InvariantNumbers.TryReadLong(v, out var t) ? p with { Expires = t } : Bad(n, "expected a Unix time in whole seconds"),
            p => p.Expires is { } t ? InvariantNumbers.Format(t) : null),
    ];

    /// <summary>Maps any finite angle into [0, 360); idempotent, so canonical text re-reads to the same value.</summary>
    internal static double NormaliseDegrees(double degrees)
    {
        var normalised = degrees % 360;
        if (normalised < 0)
        {
            normalised += 360;
        }

        // Adding a tiny negative to 360 can round back to 360; and + 0.0 turns -0 into +0.
        return normalised >= 360 ? 0 : normalised + 0.0;
    }

    private static Result<TransformPlan> ApplyFit(TransformPlan plan, string name, string value, Limits limits)
    {
        // "facearea,<fit>" is imgix's fallback syntax: the fit Geometry uses when no face is found.
        // Plain facearea falls back to an attention (edges) crop.
        var fitText = value.StartsWith("facearea,", StringComparison.Ordinal) ? value["facearea,".Length..] : value;
        FitMode? fit = fitText switch
        {
            "clamp" => FitMode.Clamp,
            "clip" => FitMode.Clip,
            "crop" => FitMode.Crop,
            "facearea" when fitText.Length == value.Length => FitMode.FaceArea,
            "fill" => FitMode.Fill,
            "fillmax" => FitMode.FillMax,
            "max" => FitMode.Max,
            "min" => FitMode.Min,
            "scale" => FitMode.Scale,
            _ => null,
        };
        return fit switch
        {
            null => Bad(name, "expected clamp, clip, crop, facearea, fill, fillmax, max, min or scale"),
            { } fallback when fitText.Length != value.Length => plan with { Fit = FitMode.FaceArea, FaceFallback = fallback },
            { } f => plan with { Fit = f, FaceFallback = null },
        };
    }

    private static string FitText(FitMode fit) => fit switch
    {
        FitMode.FillMax => "fillmax",
        FitMode.FaceArea => "facearea",
        _ => fit.ToString().ToLowerInvariant(),
    };

    private static Result<TransformPlan> ApplyOrientation(TransformPlan plan, string name, string value, Limits limits)
    {
        if (!InvariantNumbers.TryReadInteger(value, out var orient))
        {
            return Bad(name, "expected 0–8, 90, 180 or 270");
        }

        // Normalised to EXIF values so that equivalent spellings share one plan (and one cache entry).
        int? exif = orient switch
        {
            0 => 1,
            >= 1 and <= 8 => orient,
            90 => 6,
            180 => 3,
            270 => 8,
            _ => null,
        };
        return exif is { } o ? plan with { Orientation = o } : Bad(name, "expected 0–8, 90, 180 or 270");
    }

    private static Result<TransformPlan> ApplyFormat(TransformPlan plan, string name, string value, Limits limits)
    {
        (ImageFormat Format, bool Progressive)? chosen = value switch
        {
            "jpg" or "jpeg" => (ImageFormat.Jpeg, false),
            "pjpg" => (ImageFormat.Jpeg, true),
            "png" or "png8" or "png32" => (ImageFormat.Png, false),
            "webp" => (ImageFormat.WebP, false),
            "avif" => (ImageFormat.Avif, false),
            "gif" => (ImageFormat.Gif, false),
            "jxl" => (ImageFormat.Jxl, false),
            _ => null,
        };
        if (chosen is { } c)
        {
            return plan with { Format = c.Format, Document = DocumentOutput.None, Progressive = c.Progressive, Encoding = plan.Encoding with { Palette = value == "png8" } };
        }

        if (DocumentOf(value) is { } document)
        {
            return plan with { Document = document, Format = null, Progressive = false, Encoding = plan.Encoding with { Palette = false } };
        }

        return value is "jp2" or "jxr" or "mp4" or "webm"
            ? new TransformError(400, $"fm={value} is not supported")
            : Bad(name, "expected jpg, pjpg, png, webp, avif, gif, jxl, json or blurhash");
    }

    private static Result<TransformPlan> ApplyAuto(TransformPlan plan, string name, string value, Limits limits)
    {
        bool format = false, compress = false, enhance = false;
        foreach (var item in value.Split(','))
        {
            switch (item)
            {
                case "format": format = true; break;
                case "compress": compress = true; break;
                // "true" is imgix's older spelling of automatic enhancement.
                case "enhance" or "true": enhance = true; break;
                // redeye is valid at imgix but needs an eye detector we do not have; empty items come from a bare
                // "auto" or trailing commas and mean nothing.
                case "redeye" or "": break;
                default: return Bad(name, "expected a comma list of format, compress, enhance, redeye, true");
            }
        }

        return plan with { AutoFormat = format, AutoCompress = compress, AutoEnhance = enhance };
    }

    private static string? AutoText(TransformPlan plan)
    {
        var items = new List<string>(3);
        if (plan.AutoFormat) items.Add("format");
        if (plan.AutoCompress) items.Add("compress");
        if (plan.AutoEnhance) items.Add("enhance");
        return items.Count == 0 ? null : string.Join(',', items);
    }
}
