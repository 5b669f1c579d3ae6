using System.Net;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// imgix "Web Proxy": the key is a whole absolute http(s) URL of any image. That makes this the most
/// dangerous kind (server-side request forgery), hence: signing is mandatory (SourcesFile refuses an
/// unsigned proxy source), the host must match allowedHosts on the first request and on every redirect
/// hop, and private/loopback/link-local/CGNAT/metadata addresses are refused after DNS resolution.
/// </summary>
public sealed class ProxyOrigin(string sourceName, ProxySourceSettings settings, IHostResolver? resolver = null, Func<IPAddress, bool>? isAllowed = null)
    : IOrigin, IDisposable
{
    private readonly GuardedHttpFetcher _fetcher = new(sourceName, settings.Timeout, settings.ConnectTimeout, settings.MaxBytes,
        settings.Headers, isAllowed ?? OriginAddressPolicy.For(settings.AllowPrivateAddresses), resolver);

    public Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        // An unusable URL is a 404, like an unsafe key elsewhere: the caller asked for something that is not there.
        if (!ObjectKey.TryParseProxyUrl(objectKey, out var url) || !IsAllowedHost(url))
        {
            return Task.FromResult(OriginResult.NotFound);
        }

        return _fetcher.FetchAsync(url, validators, IsAllowedHost, cancellationToken);
    }

    private bool IsAllowedHost(Uri url) => HostPattern.MatchesAny(settings.AllowedHosts, url.IdnHost);

    public void Dispose() => _fetcher.Dispose();
}
