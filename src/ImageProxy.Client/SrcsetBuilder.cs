using System.Globalization;

namespace ImageProxy.Client;

/// <summary>
/// srcset text with imgix's rules (@imgix/js-core buildSrcSet): with neither <c>w</c> nor <c>h</c>, fluid widths
/// ("url 100w, …"); with either, device pixel ratios 1–5 ("url 1x, …") with lower quality at higher ratios.
/// Entries are joined by ",\n" and each URL is signed on its own, so the text equals js-core's byte for byte.
/// </summary>
public sealed class SrcsetBuilder
{
    public const int DefaultMinWidth = 100;
    public const int DefaultMaxWidth = 8192;
    public const double DefaultWidthTolerance = 0.08;

    /// <summary>js-core's DPR_QUALITIES: quality by ratio for fixed-size srcsets.</summary>
    public static readonly IReadOnlyDictionary<double, int> DefaultQualities = new Dictionary<double, int>
    {
        [1] = 75, [2] = 50, [3] = 35, [4] = 23, [5] = 20,
    };

    public static readonly IReadOnlyList<double> DefaultDevicePixelRatios = [1, 2, 3, 4, 5];

    /// <summary>The 31 default widths, 100 to 8192 (docs/web.md, imgix: srcset widths).</summary>
    public static readonly IReadOnlyList<int> DefaultWidths = TargetWidths(DefaultMinWidth, DefaultMaxWidth, DefaultWidthTolerance);

    private readonly ImageUrlBuilder _urls;

    public SrcsetBuilder(ImageUrlBuilder urls) => _urls = urls ?? throw new ArgumentNullException(nameof(urls));

    /// <summary>
    /// Widths from <paramref name="minWidth"/> growing by (1 + 2 × tolerance) while below <paramref name="maxWidth"/>,
    /// each rounded half up as JavaScript's Math.round does, then <paramref name="maxWidth"/> itself if not reached.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min &lt; 1, max &lt; min or tolerance &lt; 0.01, which js-core refuses too.</exception>
    public static IReadOnlyList<int> TargetWidths(int minWidth, int maxWidth, double tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, minWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, 0.01);
        var widths = new List<int>();
        double current = minWidth;
        while (current < maxWidth)
        {
            widths.Add((int)Math.Floor(current + 0.5));
            current *= 1 + (tolerance * 2);
        }

        if (widths.Count == 0 || widths[^1] < maxWidth)
        {
            widths.Add(maxWidth);
        }

        return widths;
    }

    /// <summary>True when <paramref name="parameters"/> ask for a fixed size, so the srcset lists ratios, not widths.</summary>
    public static bool IsFixedSize(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters.Any(p => p.Key is "w" or "h");

    /// <summary>The srcset for <paramref name="path"/>; see the class remarks for which form.</summary>
    public string Build(string path, IEnumerable<KeyValuePair<string, string>>? parameters = null, SrcsetOptions? options = null)
    {
        var given = new ImageParameters(parameters ?? []);
        options ??= new SrcsetOptions();
        return IsFixedSize(given) ? BuildRatios(path, given, options) : BuildWidths(path, given, options);
    }

    /// <summary>
    /// One <c>&lt;source&gt;</c> per format (e.g. avif, webp), each the srcset of <paramref name="parameters"/> with
    /// <c>fm</c> set; put them before the <c>&lt;img&gt;</c> that carries the fallback format.
    /// </summary>
    public IReadOnlyList<PictureSource> PictureSources(
        string path, IEnumerable<KeyValuePair<string, string>>? parameters, IEnumerable<string> formats, SrcsetOptions? options = null)
    {
        var given = new ImageParameters(parameters ?? []);
        var sources = new List<PictureSource>();
        foreach (var format in formats)
        {
            var withFormat = given.Clone().Set("fm", format);
            sources.Add(new PictureSource(MediaType(format), Build(path, withFormat, options)));
        }

        return sources;
    }

    /// <summary>The MIME type a browser matches <c>&lt;source type&gt;</c> against, for an imgix <c>fm</c> value.</summary>
    public static string MediaType(string format) => format switch
    {
        "jpg" or "jpeg" or "pjpg" => "image/jpeg",
        "png" or "png8" or "png32" => "image/png",
        _ => "image/" + format,
    };

    private string BuildWidths(string path, ImageParameters given, SrcsetOptions options)
    {
        var widths = options.Widths ?? TargetWidths(options.MinWidth, options.MaxWidth, options.WidthTolerance);
        var entries = new List<string>(widths.Count);
        foreach (var width in widths)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(options.Widths));
            var text = width.ToString(CultureInfo.InvariantCulture);
            entries.Add($"{_urls.BuildUrl(path, given.Clone().Set("w", text))} {text}w");
        }

        return string.Join(",\n", entries);
    }

    private string BuildRatios(string path, ImageParameters given, SrcsetOptions options)
    {
        var ratios = options.DevicePixelRatios ?? DefaultDevicePixelRatios;
        var qualities = new Dictionary<double, int>(DefaultQualities);
        foreach (var (ratio, quality) in options.VariableQualities ?? new Dictionary<double, int>())
        {
            qualities[ratio] = quality;
        }

        var entries = new List<string>(ratios.Count);
        foreach (var ratio in ratios)
        {
            if (ratio is < 1 or > 5)
            {
                throw new ArgumentOutOfRangeException(nameof(options.DevicePixelRatios), ratio, "device pixel ratios must be 1–5");
            }

            var text = ratio.ToString(CultureInfo.InvariantCulture);
            var candidate = given.Clone().Set("dpr", text);
            if (!options.DisableVariableQuality)
            {
                // js-core: params.q || qualities[dpr] || qualities[Math.floor(dpr)]; an explicit q keeps its place.
                var quality = given["q"] is { Length: > 0 } q ? q
                    : (qualities.TryGetValue(ratio, out var exact) ? exact : qualities[Math.Floor(ratio)]).ToString(CultureInfo.InvariantCulture);
                candidate.Set("q", quality);
            }

            entries.Add($"{_urls.BuildUrl(path, candidate)} {text}x");
        }

        return string.Join(",\n", entries);
    }
}
