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

    /// <summary>The prefix goes into CSS class names: anything beyond this alphabet could break out of the rule.</summary>
    private static bool IsCssName(string value) =>
        value.Length is > 0 and <= MaxPrefixLength
        && char.IsAsciiLetter(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
