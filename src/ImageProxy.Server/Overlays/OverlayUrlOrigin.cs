using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Overlays;

/// <summary>
/// Where a source's absolute overlay URLs are fetched: the object key is the URL. The same hardened fetcher as web and
/// proxy sources (address guard after DNS on every hop, byte cap while reading, one deadline), with the source's
/// <c>overlayHosts</c> as the host rule for the first request and for every redirect.
/// </summary>
internal sealed class OverlayUrlOrigin(SourceDefinition source, long maxBytes) : IOrigin
{
    private readonly GuardedHttpFetcher _fetcher = new(
        OverlayTargets.UrlSourceName(source), source.Web?.Timeout ?? source.Proxy?.Timeout ?? SourcesFile.DefaultWebTimeout,
        SourcesFile.DefaultConnectTimeout, maxBytes, new Dictionary<string, string>(),
        OriginAddressPolicy.For(source.Web?.AllowPrivateAddresses ?? source.Proxy?.AllowPrivateAddresses ?? false));

    public Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken) =>
        Uri.TryCreate(objectKey, UriKind.Absolute, out var url) && IsAllowed(source, url)
            ? _fetcher.FetchAsync(url, validators, next => IsAllowed(source, next), cancellationToken)
            : Task.FromResult(OriginResult.NotFound);

    /// <summary>An empty list allows nothing (unlike a proxy source's allowedHosts, where empty means any public host).</summary>
    public static bool IsAllowed(SourceDefinition source, Uri url) =>
        source.OverlayHosts.Count > 0 && HostPattern.MatchesAny(source.OverlayHosts, url.IdnHost);
}
