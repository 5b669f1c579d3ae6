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
public sealed class ImageProxyImageTagHelper(ImageUrlBuilder urls, SrcsetBuilder srcsets, IOptions<ImageProxyTagHelperOptions> options)
    : ImageProxyTagHelper(urls, srcsets, options)
{
    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        Write(output, Image(ReadParameters(), ReadSrcsetOptions()));

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
