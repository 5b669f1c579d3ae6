namespace ImageProxy.Server.Caching;

/// <summary>ImageProxy:ResultCache:* — tiers, lifetimes, and the Cache-Control directives for the CDN.</summary>
public sealed class ResultCacheOptions
{
    /// <summary>false = every request renders (the cache-miss benchmarks need this).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Disk budget; the janitor evicts least recently used entries above it.</summary>
    public long MaxDiskBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Budget of the in-memory hot tier in front of disk and Redis (0 = off). It holds verified small results
    /// and object records, so a repeated hit needs no file read, parse or checksum.
    /// </summary>
    public long MaxMemoryBytes { get; set; } = 64L << 20;

    /// <summary>Results above this size are served from disk or Redis, never kept in memory.</summary>
    public long MaxMemoryEntryBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// How many finished responses the response memo remembers (0 = off): headers and the result's cache address
    /// per request target, never bodies, so a repeated hit skips parsing, planning and hashing.
    /// </summary>
    public int MemoEntries { get; set; } = 10_000;

    public int JanitorIntervalSeconds { get; set; } = 60;

    /// <summary>How long a rendered variant is kept (disk and Redis) before it is dropped for good.</summary>
    public int ResultLifetimeSeconds { get; set; } = 7 * 24 * 3600;

    /// <summary>How long a fetched original is kept, so many variants of one image cost one origin download.</summary>
    public int OriginalLifetimeSeconds { get; set; } = 300;

    /// <summary>Results above this size stay on disk only.</summary>
    public int RedisMaxEntryBytes { get; set; } = 512 * 1024;

    /// <summary>Budget of one Redis call; past it the request goes on without Redis.</summary>
    public int RedisTimeoutMilliseconds { get; set; } = 250;

    /// <summary>Consecutive Redis failures that open the circuit, and how long it then stays open.</summary>
    public int RedisBreakerFailures { get; set; } = 3;

    public int RedisBreakerSeconds { get; set; } = 10;

    /// <summary>Lifetime of a cross-node render lock: the longest one node may hold a render for everyone.</summary>
    public int RenderLockMilliseconds { get; set; } = 15_000;

    /// <summary>How long a node waits for another node's render before rendering itself.</summary>
    public int RenderLockWaitMilliseconds { get; set; } = 3_000;

    /// <summary>Cache-Control s-maxage for shared caches (CDNs); null = not sent.</summary>
    public long? SharedMaxAgeSeconds { get; set; }

    /// <summary>
    /// Also how long past max-age this proxy itself answers with the cached variant at once (X-Cache STALE,
    /// max-age=0) while it revalidates with the origin in the background; 0 = revalidate before answering.
    /// </summary>
    public long StaleWhileRevalidateSeconds { get; set; } = 60;

    /// <summary>Also how long past max-age this proxy itself serves a cached variant when the origin fails.</summary>
    public long StaleIfErrorSeconds { get; set; } = 86_400;
}
