namespace ImageProxy.Server.Security;

/// <summary>Token bucket per client IP address ("ImageProxy:Security:RateLimit").</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests per second a client may sustain; 0 turns the limiter off.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Requests a client may send at once after being idle; 0 means the same as PermitsPerSecond.</summary>
    public int Burst { get; set; }

    public bool Enabled => PermitsPerSecond > 0;

    public int EffectiveBurst => Burst > 0 ? Burst : PermitsPerSecond;
}
