using System.Net;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Fetches originals over HTTP(S) from baseUrl + key. The key is re-encoded per segment, so a decoded
/// '?' or '#' stays part of the path instead of starting a query, and ObjectKey has already refused
/// '.'/'..' segments, so the request can never climb above the base URL's path. Redirects are followed
/// (at most 3, each hop's address re-checked) because CDNs and storage front-ends do redirect.
/// </summary>
public sealed class WebOrigin(string sourceName, WebSourceSettings settings, IHostResolver? resolver = null, Func<IPAddress, bool>? isAllowed = null)
    : IOrigin, IDisposable
{
    private readonly GuardedHttpFetcher _fetcher = new(sourceName, settings.Timeout, settings.ConnectTimeout, settings.MaxBytes,
        settings.Headers, isAllowed ?? OriginAddressPolicy.For(settings.AllowPrivateAddresses), resolver);

    public Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return Task.FromResult(OriginResult.NotFound);
        }

        return _fetcher.FetchAsync(BuildUrl(settings.BaseUrl, objectKey), validators, static _ => true, cancellationToken);
    }

    /// <summary>baseUrl (with or without trailing '/') + each key segment percent-encoded.</summary>
    public static Uri BuildUrl(Uri baseUrl, string objectKey)
    {
        var basePart = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{basePart}/{ObjectKey.EscapeSegments(objectKey)}", UriKind.Absolute);
    }

    public void Dispose() => _fetcher.Dispose();
}
