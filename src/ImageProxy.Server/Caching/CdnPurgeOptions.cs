namespace ImageProxy.Server.Caching;

/// <summary>
/// Fastly purge after an admin purge ("ImageProxy:Fastly"): POST {BaseUrl}/service/{ServiceId}/purge with the
/// object's surrogate keys. On when ServiceId and ApiToken are both set.
/// </summary>
public sealed class FastlyPurgeOptions
{
    public string? ServiceId { get; set; }

    /// <summary>A Fastly API token with the purge_select scope, sent as Fastly-Key.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Overridable for tests and proxies.</summary>
    public string BaseUrl { get; set; } = "https://api.fastly.com";

    /// <summary>Mark as stale instead of removing (Fastly-Soft-Purge: 1), so stale-while-revalidate/-if-error still apply at the edge.</summary>
    public bool SoftPurge { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ServiceId) && !string.IsNullOrWhiteSpace(ApiToken);
}

/// <summary>
/// Cloudflare purge after an admin purge ("ImageProxy:Cloudflare"): POST {BaseUrl}/zones/{ZoneId}/purge_cache with a
/// bearer token, by Cache-Tag (every variant of the object) or by URL (exactly the URLs purged). On when ZoneId and
/// ApiToken are both set.
/// </summary>
public sealed class CloudflarePurgeOptions
{
    public string? ZoneId { get; set; }

    /// <summary>An API token with the Zone / Cache Purge permission.</summary>
    public string? ApiToken { get; set; }

    public string BaseUrl { get; set; } = "https://api.cloudflare.com/client/v4";

    /// <summary>"Tags" (default: the Cache-Tag header this proxy sends) or "Urls".</summary>
    public string PurgeBy { get; set; } = "Tags";

    /// <summary>For PurgeBy=Urls: the public origin the CDN serves, e.g. "https://img.example.com"; purged paths are appended.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ZoneId) && !string.IsNullOrWhiteSpace(ApiToken);

    public bool ByUrl => string.Equals(PurgeBy, "Urls", StringComparison.OrdinalIgnoreCase);
}
