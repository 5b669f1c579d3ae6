namespace ImageProxy.Server.Caching;

/// <summary>
/// The cache seam: memory, disk, Redis and the tiers together implement it. Implementations never
/// throw for their own failures: a broken tier is a miss on read and a no-op on write, because a
/// cache problem must never fail an image request.
/// </summary>
public interface IResultCache
{
    Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="GetAsync"/> and the tier that answered (for X-Cache and the warm command): a single tier names itself,
    /// <see cref="TieredCache"/> the one of its tiers that held the entry.
    /// </summary>
    /// <remarks>A ValueTask: a memory hit completes synchronously and must not allocate a Task per request.</remarks>
    ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken);

    /// <summary>Stores the entry under its <see cref="CacheEntryMetadata.Key"/>.</summary>
    Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes every entry of the object: all variants, the original and the record.</summary>
    Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken);
}
