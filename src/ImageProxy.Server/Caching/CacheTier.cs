namespace ImageProxy.Server.Caching;

/// <summary>Where a response came from; sent as X-Cache so the CDN, the warm command and tests can tell.</summary>
public enum CacheTier
{
    None,
    Disk,
    Redis,

    /// <summary>This process's in-memory hot tier (small results only).</summary>
    Memory,
}
