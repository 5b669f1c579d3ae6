namespace ImageProxy.Server.Caching;

/// <summary>
/// L0, per process: small results and object records kept in memory, so a repeated hit costs a dictionary
/// lookup instead of a file read, a JSON parse and a SHA-256. Only entries that already passed a tier's
/// checks (or that this process rendered) get in, and the very instance is handed out again, so nothing
/// here needs re-verifying. Bounded by its own byte budget; above it the least recently used entries go.
/// Originals are never kept: they are large and only the miss path reads them.
/// </summary>
public sealed class MemoryResultCache : IResultCache
{
    // Rough per-entry overhead (dictionary node, metadata strings) so that many tiny records still count.
    private const long EntryOverheadBytes = 512;
    private readonly LruTable<(string Object, string Key), CacheEntry> _entries;
    private readonly TimeProvider _clock;

    public MemoryResultCache(long maxBytes, long maxEntryBytes, TimeProvider clock)
    {
        _entries = new LruTable<(string Object, string Key), CacheEntry>(maxBytes);
        MaxEntryBytes = maxEntryBytes;
        _clock = clock;
    }

    public long MaxBytes => _entries.Budget;

    public long MaxEntryBytes { get; }

    /// <summary>Bytes currently accounted (bodies plus a fixed overhead per entry).</summary>
    public long Bytes => _entries.Cost;

    public int Count => _entries.Count;

    /// <summary>Entries evicted to stay under <see cref="MaxBytes"/>, since start-up.</summary>
    public long Evictions => _entries.Evictions;

    public ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Get(sourceObject, key) is { } entry ? (entry, CacheTier.Memory) : ((CacheEntry?)null, CacheTier.None));

    public Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Get(sourceObject, key));

    /// <summary>Synchronous lookup: the hit path must not pay for a Task when nothing is awaited.</summary>
    public CacheEntry? Get(SourceObject sourceObject, string key)
    {
        var id = (sourceObject.Hash, key);
        if (!_entries.TryGet(id, out var entry))
        {
            return null;
        }

        if (entry.Metadata.ExpiresAt <= _clock.GetUtcNow())
        {
            _entries.Remove(id, entry);
            return null;
        }

        return entry;
    }

    public Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        Set(sourceObject, entry);
        return Task.CompletedTask;
    }

    public void Set(SourceObject sourceObject, CacheEntry entry)
    {
        var id = (sourceObject.Hash, entry.Metadata.Key);
        if (entry.Metadata.Kind == CacheEntryKind.Original || entry.Body.Length > MaxEntryBytes
            || entry.Metadata.ExpiresAt <= _clock.GetUtcNow())
        {
            // Not kept; an older copy under the same key must not outlive the newer write either.
            _entries.Remove(id);
            return;
        }

        // The body may be a slice of a larger buffer (a whole disk file or Redis value): keep only the body.
        var owned = entry.Body.Length == 0 ? entry : entry with { Body = entry.Body.ToArray() };
        _entries.Set(id, owned, entry.Body.Length + EntryOverheadBytes);
    }

    public Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        Purge(sourceObject);
        return Task.CompletedTask;
    }

    public void Purge(SourceObject sourceObject) =>
        _entries.RemoveWhere((id, _) => id.Object == sourceObject.Hash);
}
