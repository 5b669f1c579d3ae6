namespace ImageProxy.Server.Security;

/// <summary>
/// Request-level protections, bound from "ImageProxy:Security". Every default is on (or set to a safe
/// value) in a fresh install; docs/security.md lists them with their keys.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>Longest accepted request target (path + query, as sent); longer is 414. imgix's documented limit is 8,000.</summary>
    public int MaxUrlLength { get; set; } = 8000;

    /// <summary>When true, start-up fails if any source has no secureTokens, so no unsigned source can be deployed by accident.</summary>
    public bool RequireSignedUrls { get; set; }

    /// <summary>Budget for a whole request (origin fetch + queue + render + write); past it the answer is 504.</summary>
    public int RequestTimeoutSeconds { get; set; } = 45;

    /// <summary>Optional per-client (remote IP) rate limit; off unless PermitsPerSecond is above 0.</summary>
    public RateLimitSettings RateLimit { get; set; } = new();

    /// <summary>
    /// Addresses ("10.0.0.7") and networks ("173.245.48.0/20") of the proxies in front (CDN, load balancer) whose
    /// X-Forwarded-For / X-Forwarded-Proto are believed; empty = the headers are ignored. The client address then
    /// comes from the header, so the rate limiter keys on the real client, not on the CDN's edge.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
