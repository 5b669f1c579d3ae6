using System.Xml;
using System.Xml.Linq;

namespace ImageProxy.Server.Caching;

/// <summary>The image URLs of a sitemap, for `warm --paths sitemap.xml`.</summary>
public static class Sitemap
{
    /// <summary>Google's image sitemap extension: &lt;image:image&gt;&lt;image:loc&gt;…&lt;/image:loc&gt;&lt;/image:image&gt; inside a &lt;url&gt;.</summary>
    public static readonly XNamespace ImageNamespace = "http://www.google.com/schemas/sitemap-image/1.1";

    /// <summary>
    /// Per &lt;url&gt;: its &lt;image:loc&gt; entries when it has any (then its &lt;loc&gt; is the page that shows them, not
    /// an image), else its &lt;loc&gt; (a sitemap that lists the images themselves). In document order.
    /// </summary>
    public static IReadOnlyList<string> ImageUrls(string path)
    {
        // No DTDs: a sitemap may come from elsewhere, and entity expansion is how XML files attack their readers.
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var root = XDocument.Load(reader).Root;
        if (root is null)
        {
            return [];
        }

        var urls = new List<string>();
        foreach (var url in root.Elements().Where(e => e.Name.LocalName == "url"))
        {
            var images = url.Descendants(ImageNamespace + "loc").Select(e => e.Value.Trim()).Where(v => v.Length > 0).ToList();
            urls.AddRange(images.Count > 0
                ? images
                : url.Elements().Where(e => e.Name.LocalName == "loc").Select(e => e.Value.Trim()).Where(v => v.Length > 0));
        }

        return urls;
    }
}
