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
}
