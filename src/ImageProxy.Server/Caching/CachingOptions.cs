namespace ImageProxy.Server.Caching;

/// <summary>
/// Caching, Redis, CDN and admin settings, bound from the same "ImageProxy" section as the host settings
/// (ImageProxy:Redis, ImageProxy:AdminToken, ImageProxy:ResultCache:*); the disk path is ImageProxy:CacheDir.
/// </summary>
public sealed class CachingOptions
{
    /// <summary>"host:port" (or a full StackExchange.Redis configuration string); null = no shared tier, no cross-node locks or purges.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// PEM file of the certificate authority that signed a TLS Redis's certificate (ssl=true in <see cref="Redis"/>),
    /// when it is not one the system trusts (a private CA); null = the system's trust store.
    /// </summary>
    public string? RedisTrustedCaFile { get; set; }

    /// <summary>Prefix of every Redis key and channel, so several deployments can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "imageproxy:";

    /// <summary>Bearer token for /_imageproxy/purge; null = the admin endpoints answer 404.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Called with {"surrogateKeys":[…]} after a purge, so the CDN drops its copies too.</summary>
    public string? PurgeWebhookUrl { get; set; }

    /// <summary>Fastly purge by surrogate key after a purge ("ImageProxy:Fastly").</summary>
    public FastlyPurgeOptions Fastly { get; set; } = new();

    /// <summary>Cloudflare purge by Cache-Tag or URL after a purge ("ImageProxy:Cloudflare").</summary>
    public CloudflarePurgeOptions Cloudflare { get; set; } = new();

    public ResultCacheOptions ResultCache { get; set; } = new();
}
