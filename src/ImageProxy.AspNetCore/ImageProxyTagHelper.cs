using System.Globalization;
using ImageProxy.Client;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace ImageProxy.AspNetCore;

/// <summary>
/// What the <c>&lt;img&gt;</c> and <c>&lt;picture&gt;</c> helpers share: the image path and parameters, the srcset
/// width options, and the builders (signing with the configured token, never one from the markup).
/// </summary>
public abstract class ImageProxyTagHelper(ImageUrlBuilder urls, SrcsetBuilder srcsets, IOptions<ImageProxyTagHelperOptions> options) : TagHelper
{
    internal const string SourceAttribute = "ip-src";

    /// <summary>The image path on the image server, including the source prefix (e.g. <c>/products/shoe.jpg</c>).</summary>
    [HtmlAttributeName(SourceAttribute)]
    public string Source { get; set; } = string.Empty;

    /// <summary>imgix parameters as a query string, e.g. <c>fit=crop&amp;ar=16:9&amp;auto=format</c>.</summary>
    [HtmlAttributeName("ip-params")]
    public string? Parameters { get; set; }

    /// <summary>Exact fluid widths, comma-separated (instead of the generated list).</summary>
    [HtmlAttributeName("ip-widths")]
    public string? Widths { get; set; }

    /// <summary>Smallest generated fluid width (default 100).</summary>
    [HtmlAttributeName("ip-min-width")]
    public int? MinWidth { get; set; }

    /// <summary>Largest generated fluid width; set it to the original's width to avoid upscaled candidates.</summary>
    [HtmlAttributeName("ip-max-width")]
    public int? MaxWidth { get; set; }

    private protected SrcsetBuilder Srcsets => srcsets;

    private protected ImageProxyTagHelperOptions Configured => options.Value;

    /// <summary>
    /// Razor hands a bound attribute over as written, so <c>w=200&amp;amp;h=200</c> (the strictly correct HTML) would
    /// arrive with the entity in it: decode entities first, then read the query.
    /// </summary>
    private protected ImageParameters ReadParameters() => ImageParameters.Parse(System.Net.WebUtility.HtmlDecode(Parameters ?? string.Empty));

    private protected SrcsetOptions ReadSrcsetOptions() => new()
    {
        Widths = string.IsNullOrWhiteSpace(Widths)
            ? null
            : Widths.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(w => int.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture)).ToList(),
        MinWidth = MinWidth ?? SrcsetBuilder.DefaultMinWidth,
        MaxWidth = MaxWidth ?? Configured.MaxWidth,
    };

    private protected ResponsiveImage Image(ImageParameters parameters, SrcsetOptions srcsetOptions) =>
        ResponsiveImage.Create(urls, srcsets, Source, parameters, srcsetOptions);
}
