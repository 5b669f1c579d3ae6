using ImageProxy.Client;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace ImageProxy.AspNetCore;

/// <summary>
/// <c>&lt;picture ip-src="/products/shoe.jpg" ip-params="w=600" ip-formats="avif,webp" sizes="…" alt="…"&gt;&lt;/picture&gt;</c>
/// writes one <c>&lt;source type srcset&gt;</c> per format (default: configured PictureFormats, else avif then webp)
/// and a fallback <c>&lt;img&gt;</c> in the parameters' own format. <c>alt</c>, <c>sizes</c>, <c>loading</c>,
/// <c>decoding</c>, <c>class</c> and <c>style</c> written on the picture move to the img (sizes also goes on each
/// source). The author's own children (e.g. <c>&lt;source media&gt;</c> for art direction) stay first.
/// </summary>
[HtmlTargetElement("picture", Attributes = SourceAttribute)]
public sealed class ImageProxyPictureTagHelper(ImageUrlBuilder urls, SrcsetBuilder srcsets, IOptions<ImageProxyTagHelperOptions> options)
    : ImageProxyTagHelper(urls, srcsets, options)
{
    private static readonly string[] ImageAttributes = ["alt", "sizes", "loading", "decoding", "class", "style", "fetchpriority"];

    /// <summary>Comma-separated formats for the sources, best first (e.g. <c>avif,webp</c>).</summary>
    [HtmlAttributeName("ip-formats")]
    public string? Formats { get; set; }

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var parameters = ReadParameters();
        var srcsetOptions = ReadSrcsetOptions();
        var formats = string.IsNullOrWhiteSpace(Formats)
            ? Configured.EffectivePictureFormats
            : Formats.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        var img = new TagBuilder("img") { TagRenderMode = TagRenderMode.SelfClosing };
        foreach (var name in ImageAttributes)
        {
            if (output.Attributes.TryGetAttribute(name, out var attribute))
            {
                img.Attributes[name] = attribute.Value?.ToString();
                output.Attributes.Remove(attribute);
            }
        }

        var sizes = img.Attributes.TryGetValue("sizes", out var s) ? s : null;
        var children = await output.GetChildContentAsync();
        output.Content.AppendHtml(children);
        foreach (var source in Srcsets.PictureSources(Source, parameters, formats, srcsetOptions))
        {
            var element = new TagBuilder("source") { TagRenderMode = TagRenderMode.SelfClosing };
            element.Attributes["type"] = source.Type;
            element.Attributes["srcset"] = source.Srcset;
            if (sizes is not null)
            {
                element.Attributes["sizes"] = sizes;
            }

            output.Content.AppendHtml(element);
        }

        var image = Image(parameters, srcsetOptions);
        img.Attributes["src"] = image.Src;
        img.Attributes["srcset"] = image.Srcset;
        if (image.Width is { } width)
        {
            img.Attributes["width"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (image.Height is { } height)
        {
            img.Attributes["height"] = height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        output.Content.AppendHtml(img);
    }
}
