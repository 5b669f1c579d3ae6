namespace ImageProxy.Transform;

/// <summary>
/// Every parameter of imgix's Rendering API (imgix-url-params 11.35.0: 179 parameters) with its aliases, whether
/// or not this build implements it. Two uses: a source with <c>"unsupportedParameters": "reject"</c> refuses the
/// ones it does not implement (so a migrating site finds its gaps in one pass), and the README's coverage table
/// is checked against it. Whether one is implemented is not stored here: it is whatever <see cref="Parameters"/> says.
/// </summary>
public static class ImgixParameters
{
    /// <summary>All 179, in the order of imgix's documentation sections.</summary>
    public static IReadOnlyList<ImgixParameter> All { get; } =
    [
        new("ar"),
        new("crop"),
        new("fit", "f"),
        new("h", "height"),
        new("max-h", "max-height"),
        new("max-w", "max-width"),
        new("min-h", "min-height"),
        new("min-w", "min-width"),
        new("rect"),
        new("w", "width"),
        new("dpr"),
        new("fp-debug"),
        new("fp-x"),
        new("fp-y"),
        new("fp-z"),
        new("ch"),
        new("chromasub"),
        new("colorquant"),
        new("cs"),
        new("dl"),
        new("dpi"),
        new("fm"),
        new("iptc"),
        new("jpg-progressive", "jpeg-progressive"),
        new("lossless"),
        new("q"),
        new("svg-sanitize"),
        new("auto"),
        new("bri"),
        new("con"),
        new("exp"),
        new("gam"),
        new("high"),
        new("hue"),
        new("invert", "inv"),
        new("sat"),
        new("shad"),
        new("sharp"),
        new("usm"),
        new("usmrad"),
        new("vib"),
        new("blur"),
        new("duotone"),
        new("duotone-alpha"),
        new("htn"),
        new("monochrome", "mono"),
        new("px"),
        new("sepia"),
        new("flip"),
        new("orient", "or"),
        new("rot"),
        new("rot-type", "rottype", "rott"),
        new("border"),
        new("border-bottom"),
        new("border-left"),
        new("border-radius"),
        new("border-radius-inner"),
        new("border-right"),
        new("border-stroke-color"),
        new("border-stroke-size"),
        new("border-top"),
        new("pad"),
        new("pad-bottom"),
        new("pad-left"),
        new("pad-right"),
        new("pad-top"),
        new("bg"),
        new("fill"),
        new("fill-color", "fillcolor"),
        new("fill-gen-fallback", "fill-generative-fallback"),
        new("fill-gen-neg-prompt", "fill-generative-negative-prompt"),
        new("fill-gen-pos", "fill-generative-position"),
        new("fill-gen-prompt", "fill-generative-prompt"),
        new("fill-gen-seed", "fill-generative-seed"),
        new("fill-gradient-cs"),
        new("fill-gradient-linear"),
        new("fill-gradient-linear-direction"),
        new("fill-gradient-radial"),
        new("fill-gradient-radial-radius"),
        new("fill-gradient-radial-x"),
        new("fill-gradient-radial-y"),
        new("fill-gradient-type"),
        new("grid-colors"),
        new("grid-size"),
        new("transparency"),
        new("mark", "m"),
        new("mark-align", "ma", "markalign"),
        new("mark-alpha", "markalpha", "malph"),
        new("mark-base", "mb", "markbase"),
        new("mark-fit", "mf", "markfit"),
        new("mark-h", "mh", "markh"),
        new("mark-if-min-height"),
        new("mark-if-min-width"),
        new("mark-pad", "mp", "markpad"),
        new("mark-rot"),
        new("mark-scale", "ms", "markscale"),
        new("mark-tile", "mtile", "marktile"),
        new("mark-w", "mw", "markw"),
        new("mark-x", "mx", "markx"),
        new("mark-y", "my", "marky"),
        new("txt", "t"),
        new("txt-align", "txtalign", "ta"),
        new("txt-clip", "txtclip", "tcl"),
        new("txt-color", "txtcolor", "txt-clr", "txtclr", "tc"),
        new("txt-fit", "txtfit"),
        new("txt-font", "tf", "txtfont"),
        new("txt-line", "txtline", "tl"),
        new("txt-line-color", "txtlinecolor", "txt-line-clr", "txtlineclr"),
        new("txt-pad", "txtpad", "tp"),
        new("txt-shad", "txtshad", "tsh"),
        new("txt-size", "tsz", "txtsize"),
        new("txt-width", "txtwidth"),
        new("txt-x", "txtx"),
        new("txt-y", "txty"),
        new("txt-lead", "txtlead"),
        new("txt-track", "txttrack", "tt"),
        new("blend", "b"),
        new("blend-align", "blendalign", "ba"),
        new("blend-alpha", "blendalpha", "balph"),
        new("blend-color", "blendcolor", "blend-clr", "blendclr"),
        new("blend-crop", "blendcrop", "bc"),
        new("blend-fit", "blendfit", "bf"),
        new("blend-h", "blendh", "bh"),
        new("blend-mode", "blendmode", "bm"),
        new("blend-pad", "blendpad", "bp"),
        new("blend-size", "blendsize", "bs"),
        new("blend-w", "blendw", "bw"),
        new("blend-x", "blendx", "bx"),
        new("blend-y", "blendy", "by"),
        new("corner-radius"),
        new("mask"),
        new("mask-bg", "maskbg"),
        new("trim"),
        new("trim-alpha"),
        new("trim-color", "trimcolor"),
        new("trim-md", "trimmd"),
        new("trim-pad", "trimpad"),
        new("trim-sd", "trimsd"),
        new("trim-tol", "trimtol"),
        new("face-blur"),
        new("face-pixel", "face-pixelate"),
        new("faceindex"),
        new("facepad"),
        new("faces"),
        new("colors"),
        new("palette"),
        new("prefix"),
        new("page"),
        new("pdf-annotation", "annotation"),
        new("fps"),
        new("frame"),
        new("interval"),
        new("loop"),
        new("reverse"),
        new("skip"),
        new("nr"),
        new("nrs"),
        new("expires"),
        new("rasterize-bypass"),
        new("bg-remove", "background-remove"),
        new("bg-remove-fallback"),
        new("bg-remove-fg-type"),
        new("bg-remove-semi-transparency", "background-removal-semi-transparency"),
        new("bg-remove-transparency-threshold"),
        new("bg-replace", "background-replace"),
        new("bg-replace-fallback"),
        new("bg-replace-neg-prompt", "background-replace-negative-prompt"),
        new("object-removal-negative-prompt"),
        new("object-removal-prompt"),
        new("object-removal-rect"),
        new("object-removal-seed"),
        new("upscale"),
        new("upscale-fallback"),
        new("lp-blur", "license-plate-blur"),
        new("video-bitrate"),
        new("video-codec"),
        new("video-thumbnail"),
        new("video-clip-end"),
        new("video-clip-start"),
    ];

    private static readonly Dictionary<string, ImgixParameter> ByKey = All
        .SelectMany(p => p.Aliases.Prepend(p.Name).Select(key => (key, p)))
        .ToDictionary(e => e.key, e => e.p, StringComparer.Ordinal);

    /// <summary>The imgix parameter a key (canonical or alias) names, or null for keys imgix does not define (ixlib, cache busters…).</summary>
    public static ImgixParameter? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>How far this build supports a parameter.</summary>
    public static ParameterSupport SupportOf(ImgixParameter parameter) => Parameters.Find(parameter.Name) switch
    {
        null => ParameterSupport.NotImplemented,
        { NoEffect: not null } => ParameterSupport.AcceptedWithoutEffect,
        _ => ParameterSupport.Implemented,
    };
}

/// <summary>One imgix parameter: its canonical name and aliases.</summary>
public sealed record ImgixParameter(string Name, params string[] Aliases)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Support level of an imgix parameter in this build (the README coverage table's status column).</summary>
public enum ParameterSupport
{
    /// <summary>Parsed, validated, part of the cache key and rendered.</summary>
    Implemented,
    /// <summary>Parsed and validated (a bad value is a 400) but changes nothing; the README says why.</summary>
    AcceptedWithoutEffect,
    /// <summary>Ignored (or refused with <c>"unsupportedParameters": "reject"</c>).</summary>
    NotImplemented,
}

/// <summary>A source's answer to imgix parameters this build does not implement.</summary>
public enum UnsupportedParameterPolicy
{
    /// <summary>imgix's own behaviour: unknown parameters are ignored.</summary>
    Ignore,
    /// <summary>400 listing every imgix parameter of the request this build does not implement.</summary>
    Reject,
}
