namespace ImageProxy.AspNetCore;

/// <summary>
/// The <c>ImageProxyClient</c> configuration section: where images are served and the signing token. The token lives
/// here (configuration, environment, user secrets), never in markup, so views cannot leak or forge it.
/// </summary>
public sealed class ImageProxyTagHelperOptions
{
    public const string SectionName = "ImageProxyClient";

    /// <summary>Scheme and host of the image server, e.g. <c>https://images.example.com</c>; empty for the page's own origin.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>The source's secure token; empty leaves URLs unsigned.</summary>
    public string? SecureToken { get; set; }

    /// <summary>Formats of the <c>&lt;source&gt;</c> elements a <c>&lt;picture ip-src&gt;</c> writes, best first.</summary>
    public List<string>? PictureFormats { get; set; }

    /// <summary>The widest fluid candidate when a tag gives no <c>ip-max-width</c> (the default 8192 is imgix's).</summary>
    public int MaxWidth { get; set; } = Client.SrcsetBuilder.DefaultMaxWidth;

    internal IReadOnlyList<string> EffectivePictureFormats => PictureFormats is { Count: > 0 } formats ? formats : ["avif", "webp"];
}
