using System.Globalization;
using ImageProxy.Client;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace ImageProxy.AspNetCore;

/// <summary>
/// <c>&lt;img ip-src="/products/shoe.jpg" ip-params="fit=crop&amp;ar=4:3" sizes="(min-width: 800px) 50vw, 100vw" alt="…"&gt;</c>
/// writes <c>src</c>, <c>srcset</c> and, where the parameters fix them, <c>width</c> and <c>height</c>, with every URL
/// signed when a token is configured. Without <c>w</c>/<c>h</c> the srcset lists widths (give <c>sizes</c>); with
/// either it lists densities 1x–5x. Attributes the author wrote (width, height, sizes, alt…) are kept.
/// </summary>
[HtmlTargetElement("img", Attributes = SourceAttribute, TagStructure = TagStructure.WithoutEndTag)]
public sealed class ImageProxyImageTagHelper(ImageUrlBuilder urls, SrcsetBuilder srcsets, IOptions<ImageProxyTagHelperOptions> options) : TagHelper
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

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var image = ResponsiveImage.Create(urls, srcsets, Source, ImageProxyImageTagHelper.ReadParameters(Parameters), SrcsetOptionsFor(options.Value, Widths, MinWidth, MaxWidth));
        Write(output, image);
    }

    /// <summary>
    /// Razor hands a bound attribute over as written, so <c>w=200&amp;amp;h=200</c> (the strictly correct HTML) would
    /// arrive with the entity in it: decode entities first, then read the query.
    /// </summary>
    internal static ImageParameters ReadParameters(string? text) => ImageParameters.Parse(System.Net.WebUtility.HtmlDecode(text ?? string.Empty));

    internal static SrcsetOptions SrcsetOptionsFor(ImageProxyTagHelperOptions configured, string? widths, int? minWidth, int? maxWidth) => new()
    {
        Widths = string.IsNullOrWhiteSpace(widths)
            ? null
            : widths.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(w => int.Parse(w, NumberStyles.None, CultureInfo.InvariantCulture)).ToList(),
        MinWidth = minWidth ?? SrcsetBuilder.DefaultMinWidth,
        MaxWidth = maxWidth ?? configured.MaxWidth,
    };

    internal static void Write(TagHelperOutput output, ResponsiveImage image)
    {
        output.Attributes.SetAttribute("src", image.Src);
        output.Attributes.SetAttribute("srcset", image.Srcset);
        if (image.Width is { } width && !output.Attributes.ContainsName("width"))
        {
            output.Attributes.SetAttribute("width", width.ToString(CultureInfo.InvariantCulture));
        }

        if (image.Height is { } height && !output.Attributes.ContainsName("height"))
        {
            output.Attributes.SetAttribute("height", height.ToString(CultureInfo.InvariantCulture));
        }
    }
}
