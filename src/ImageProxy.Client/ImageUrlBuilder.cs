using System.Globalization;

namespace ImageProxy.Client;

/// <summary>
/// Builds image URLs as @imgix/js-core's buildURL does (without ixlib): the same path encoding, parameter
/// encoding, <c>NAME64</c> base64url values and signature, so a URL from here equals js-core's byte for byte.
/// </summary>
public sealed class ImageUrlBuilder
{
    private readonly string _baseUrl;
    private readonly string? _token;
    private readonly bool _disablePathEncoding;

    public ImageUrlBuilder(ImageUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _baseUrl = (options.BaseUrl ?? string.Empty).TrimEnd('/');
        _token = string.IsNullOrEmpty(options.SecureToken) ? null : options.SecureToken;
        _disablePathEncoding = options.DisablePathEncoding;
    }

    /// <summary>True when URLs carry an <c>s</c> signature.</summary>
    public bool Signs => _token is not null;

    /// <summary>
    /// The URL for <paramref name="path"/> with <paramref name="parameters"/> in their order. With
    /// <paramref name="expires"/>, <c>expires=&lt;Unix seconds&gt;</c> is added last (before <c>s</c>), so the
    /// server refuses the URL after that moment; it only protects anything when the URL is signed.
    /// </summary>
    /// <exception cref="ArgumentException">Text with a lone UTF-16 surrogate, which no URL can carry.</exception>
    public string BuildUrl(string path, IEnumerable<KeyValuePair<string, string>>? parameters = null, DateTimeOffset? expires = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var pairs = new ImageParameters(parameters ?? []);
        if (expires is { } at)
        {
            pairs.Set("expires", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        var target = _token is null
            ? UrlSigner.EncodePath(path, _disablePathEncoding) + UrlSigner.BuildQuery(pairs)
            : UrlSigner.Sign(_token, path, pairs, _disablePathEncoding);
        return _baseUrl + target;
    }
}
