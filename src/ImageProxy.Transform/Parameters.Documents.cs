namespace ImageProxy.Transform;

/// <summary>
/// The issue-12 rows about answers that are not (only) a picture: the palette document (<c>palette</c>, <c>colors</c>,
/// <c>prefix</c>) and the byte budget (<c>max-bytes</c>, <c>min-q</c>, beyond imgix). <c>fm=json</c> and
/// <c>fm=blurhash</c> are values of <c>fm</c> (<see cref="ApplyFormat"/>).
/// </summary>
public static partial class Parameters
{
    /// <summary>Longest accepted CSS class prefix.</summary>
    public const int MaxPrefixLength = 64;

    /// <summary>Smallest byte budget accepted: below it no image format has room for its own headers.</summary>
    public const int MinByteBudget = 256;

    /// <summary>Our parameters that imgix does not have (every other row of the table is an imgix parameter).</summary>
    public static IReadOnlySet<string> BeyondImgix { get; } = new HashSet<string>(StringComparer.Ordinal) { "max-bytes", "min-q" };

    private static DocumentOutput? DocumentOf(string fm) => fm switch
    {
        "json" => DocumentOutput.Json,
        "blurhash" => DocumentOutput.BlurHash,
        _ => null,
    };

    private static string DocumentText(DocumentOutput document) => document == DocumentOutput.Json ? "json" : "blurhash";

    // --- documents and the byte budget (after the encoder options) ---
    private static IEnumerable<ParameterDefinition> DocumentParameters() =>
    [
        Def("palette", [], "json or css: the picture's colour palette instead of the picture",
            (p, n, v, l) => v switch
            {
                "json" => p with { Palette = p.Palette with { Format = PaletteFormat.Json } },
                "css" => p with { Palette = p.Palette with { Format = PaletteFormat.Css } },
                _ => Bad(n, "expected json or css"),
            },
            p => p.Palette.Format switch { PaletteFormat.Json => "json", PaletteFormat.Css => "css", _ => null }),
        Def("colors", [], "integer 0–16: colours in the palette (default 6)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 16, out var i) is { } why ? Bad(n, why)
                // Validated always, kept only with a palette (applied before it): otherwise it must not split the cache.
                : p.Palette.Format == PaletteFormat.None ? p : p with { Palette = p.Palette with { Colors = i } },
            p => p.Palette.Colors != PaletteSpec.DefaultColors ? InvariantNumbers.Format(p.Palette.Colors) : null),
        Def("prefix", [], "CSS class prefix (letters, digits, - and _, at most 64; default image)",
            (p, n, v, l) => !IsCssName(v) ? Bad(n, "expected letters, digits, '-' or '_', starting with a letter, at most 64")
                : p.Palette.Format == PaletteFormat.Css ? p with { Palette = p.Palette with { Prefix = v } } : p,
            p => p.Palette.Prefix != PaletteSpec.DefaultPrefix ? p.Palette.Prefix : null),
        Def("max-bytes", [], $"integer {MinByteBudget}–1000000000: the encoded body is at most this many bytes (lower quality, then smaller)",
            (p, n, v, l) => ParameterReaders.Integer(v, MinByteBudget, 1_000_000_000, out var i) is { } why ? Bad(n, why) : p with { Budget = p.Budget with { MaxBytes = i } },
            p => p.Budget.MaxBytes is { } b ? InvariantNumbers.Format(b) : null),
        Def("min-q", [], "integer 1–100: the lowest quality max-bytes may use before it shrinks the picture (default 30)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 100, out var i) is { } why ? Bad(n, why)
                : p.Budget.MaxBytes is null ? p : p with { Budget = p.Budget with { MinQuality = i } },
            p => p.Budget.MinQuality != ByteBudget.DefaultMinQuality ? InvariantNumbers.Format(p.Budget.MinQuality) : null),
    ];

    // --- animation (after the documents) ---
    private static IEnumerable<ParameterDefinition> AnimationParameters() =>
    [
        Def("frame", [], "frame number from 1, or a range a:b of frame numbers (either bound may be left out)",
            (p, n, v, l) => FrameRange(v, out var first, out var last) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { FirstFrame = first, LastFrame = last } },
            p => p.Animation switch
            {
                { FirstFrame: null, LastFrame: null } => null,
                { FirstFrame: { } a, LastFrame: { } b } when a == b => InvariantNumbers.Format(a),
                var a => $"{Int(a.FirstFrame)}:{Int(a.LastFrame)}",
            }),
        Def("interval", [], "integer 1–1000: keep every Nth frame, starting with the first",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 1000, out var i) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { Interval = i == 1 ? null : i } },
            p => Int(p.Animation.Interval)),
        Def("skip", [], "integer 1–1000: drop every Nth frame, starting with the first",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 1000, out var i) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { Skip = i } },
            p => Int(p.Animation.Skip)),
        Def("reverse", [], "true, false, 1 or 0: play the frames backwards",
            (p, n, v, l) => ParameterReaders.Boolean(v, out var b) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { Reverse = b } },
            p => p.Animation.Reverse ? "1" : null),
        Def("loop", [], "integer 0–65535: times the animation repeats (0 = for ever; default the source's)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 65535, out var i) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { Loop = i } },
            p => Int(p.Animation.Loop)),
        Def("fps", [], "integer 1–60: frames per second (every frame shown 1000/fps ms; default the source's timing)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 60, out var i) is { } why ? Bad(n, why) : p with { Animation = p.Animation with { Fps = i } },
            p => Int(p.Animation.Fps)),
    ];

    private static string? FrameRange(string text, out int? first, out int? last)
    {
        (first, last) = (null, null);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (a, b) = colon < 0 ? (text, text) : (text[..colon], text[(colon + 1)..]);
        if (a.Length > 0)
        {
            if (ParameterReaders.Integer(a, 1, 100_000, out var i) is not null)
            {
                return "expected a frame number from 1, or a:b";
            }

            first = i;
        }

        if (b.Length > 0)
        {
            if (ParameterReaders.Integer(b, 1, 100_000, out var i) is not null)
            {
                return "expected a frame number from 1, or a:b";
            }

            last = i;
        }

        if (first is { } f && last is { } l && l < f)
        {
            return "the range a:b needs a ≤ b";
        }

        // "1:" means every frame: the same plan (and cache key) as no frame at all.
        if (first == 1 && last is null)
        {
            first = null;
        }

        return colon >= 0 && a.Length == 0 && b.Length == 0 ? "expected a frame number from 1, or a:b" : null;
    }

    /// <summary>The prefix goes into CSS class names: anything beyond this alphabet could break out of the rule.</summary>
    private static bool IsCssName(string value) =>
        value.Length is > 0 and <= MaxPrefixLength
        && char.IsAsciiLetter(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
