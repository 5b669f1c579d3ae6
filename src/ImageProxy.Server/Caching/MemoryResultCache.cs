using System.Collections.Concurrent;

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
    private readonly ConcurrentDictionary<(string Object, string Key), Slot> _slots = new();
    private readonly TimeProvider _clock;
    private readonly object _evicting = new();
    private long _bytes;
    private long _useCounter;

    public MemoryResultCache(long maxBytes, long maxEntryBytes, TimeProvider clock)
    {
        MaxBytes = maxBytes;
        MaxEntryBytes = maxEntryBytes;
        _clock = clock;
    }

    public long MaxBytes { get; }

    public long MaxEntryBytes { get; }

    /// <summary>Bytes currently accounted (bodies plus a fixed overhead per entry).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _slots.Count;

    public Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Get(sourceObject, key));

    /// <summary>Synchronous lookup: the hit path must not pay for a Task when nothing is awaited.</summary>
    public CacheEntry? Get(SourceObject sourceObject, string key)
    {
        var id = (sourceObject.Hash, key);
        if (!_slots.TryGetValue(id, out var slot))
        {
            return null;
        }

        if (slot.Entry.Metadata.ExpiresAt <= _clock.GetUtcNow())
        {
            Remove(id, slot);
            return null;
        }

        // A counter, not the clock: only the order matters for eviction, and it is cheaper.
        slot.LastUsed = Interlocked.Increment(ref _useCounter);
        return slot.Entry;
    }

    public Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        Set(sourceObject, entry);
        return Task.CompletedTask;
    }

    public void Set(SourceObject sourceObject, CacheEntry entry)
    {
        var size = entry.Body.Length + EntryOverheadBytes;
        if (entry.Metadata.Kind == CacheEntryKind.Original || entry.Body.Length > MaxEntryBytes || size > MaxBytes
            || entry.Metadata.ExpiresAt <= _clock.GetUtcNow())
        {
            // Not kept; an older copy under the same key must not outlive the newer write either.
            if (_slots.TryGetValue((sourceObject.Hash, entry.Metadata.Key), out var old))
            {
                Remove((sourceObject.Hash, entry.Metadata.Key), old);
            }

            return;
        }

        // The body may be a slice of a larger buffer (a whole disk file or Redis value): keep only the body.
        var owned = entry.Body.Length == 0 ? entry : entry with { Body = entry.Body.ToArray() };
        var slot = new Slot(owned, size) { LastUsed = Interlocked.Increment(ref _useCounter) };
        var id = (sourceObject.Hash, entry.Metadata.Key);
        _slots.AddOrUpdate(
            id,
            _ =>
            {
                Interlocked.Add(ref _bytes, size);
                return slot;
            },
            (_, previous) =>
            {
                Interlocked.Add(ref _bytes, size - previous.Size);
                return slot;
            });

        if (Interlocked.Read(ref _bytes) > MaxBytes)
        {
            Evict();
        }
    }

    public Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        Purge(sourceObject);
        return Task.CompletedTask;
    }

    public void Purge(SourceObject sourceObject)
    {
        // Purges are rare and the table is bounded, so a scan beats keeping a second index in step.
        foreach (var (id, slot) in _slots)
        {
            if (id.Object == sourceObject.Hash)
            {
                Remove(id, slot);
            }
        }
    }

    private void Remove((string, string) id, Slot slot)
    {
        // Only this exact slot: a concurrent Set may already have put a newer one in its place.
        if (_slots.TryRemove(new KeyValuePair<(string, string), Slot>(id, slot)))
        {
            Interlocked.Add(ref _bytes, -slot.Size);
        }
    }

    /// <summary>Drops least recently used entries down to 90% of the budget, so eviction runs now and then, not on every insert.</summary>
    private void Evict()
    {
        if (!Monitor.TryEnter(_evicting))
        {
            return; // another thread is already evicting
        }

        try
        {
            var target = MaxBytes * 9 / 10;
            if (Interlocked.Read(ref _bytes) <= MaxBytes)
            {
                return;
            }

            foreach (var (id, slot) in _slots.ToArray().OrderBy(pair => pair.Value.LastUsed))
            {
                if (Interlocked.Read(ref _bytes) <= target)
                {
                    break;
                }

                Remove(id, slot);
            }
        }
        finally
        {
            Monitor.Exit(_evicting);
        }
    }

    private sealed class Slot(CacheEntry entry, long size)
    {
        public CacheEntry Entry { get; } = entry;

        public long Size { get; } = size;

        public long LastUsed { get; set; }
    }
}
