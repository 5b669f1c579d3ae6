namespace ImageProxy.Client;

/// <summary>Where the images live and how URLs are signed.</summary>
public sealed class ImageUrlOptions
{
    /// <summary>
    /// Scheme and host (and port) put before every path, e.g. <c>https://images.example.com</c>; empty gives
    /// root-relative URLs ("/products/shoe.jpg?w=400") for a server on the page's own origin.
    /// </summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>The source's secure token; null or empty leaves URLs unsigned. Keep it in configuration, never in markup.</summary>
    public string? SecureToken { get; set; }

    /// <summary>The caller already percent-encoded the path (js-core's disablePathEncoding).</summary>
    public bool DisablePathEncoding { get; set; }
}
