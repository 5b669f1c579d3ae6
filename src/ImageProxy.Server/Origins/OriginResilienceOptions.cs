namespace ImageProxy.Server.Origins;

/// <summary>Retry and circuit-breaker settings per source; the defaults suit production, tests shrink them.</summary>
public sealed record OriginResilienceOptions
{
    public static readonly OriginResilienceOptions Default = new();

    /// <summary>Extra attempts after a transient failure (5xx, 429, reset). Never for 404, 403 or timeouts.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>First backoff; doubles per attempt, with jitter so many proxies do not retry in lock-step.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The breaker opens when at least this share of calls failed...</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>...among at least this many calls...</summary>
    public int MinimumThroughput { get; init; } = 10;

    /// <summary>...within this window.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker fails fast before letting one trial call through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}
