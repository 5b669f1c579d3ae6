using System.Text.Json;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Memory first (when configured), then disk, then Redis; a hit in a lower tier back-fills the ones above it.
/// Writes go to all (Redis only under its size cap, memory only for small results and records).
/// A purge clears all and tells the other nodes over Redis pub/sub to clear their memory and disks.
/// </summary>
public sealed class TieredCache : IResultCache
{
    internal const string PurgeChannel = "purge";
    private readonly MemoryResultCache? _memory;
    private readonly IResultCache? _disk;
    private readonly IResultCache? _shared;
    private readonly RedisConnection? _redis;
    private readonly ILogger _logger;
    private readonly string _nodeId = Guid.NewGuid().ToString("N");

    public TieredCache(IResultCache? disk, IResultCache? shared, RedisConnection? redis, ILogger<TieredCache> logger, MemoryResultCache? memory = null)
    {
        _memory = memory;
        _disk = disk;
        _shared = shared;
        _redis = redis;
        _logger = logger;
    }

    public ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        if (_memory?.Get(sourceObject, key) is { } hot)
        {
            return ValueTask.FromResult<(CacheEntry?, CacheTier)>((hot, CacheTier.Memory));
        }

        return new ValueTask<(CacheEntry?, CacheTier)>(GetBelowMemoryAsync(sourceObject, key, cancellationToken));
    }

    private async Task<(CacheEntry? Entry, CacheTier Tier)> GetBelowMemoryAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        // Disk and Redis are I/O and get a span; a memory hit (above) is a table lookup and does not.
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.CacheReadSpan);
        var (entry, tier) = await ReadBelowMemoryAsync(sourceObject, key, cancellationToken);
        span?.SetTag("imageproxy.cache.kind", KindOf(key));
        span?.SetTag("imageproxy.cache.tier", entry is null ? "miss" : tier.ToString().ToLowerInvariant());
        return (entry, tier);
    }

    // Which of an object's entries: its record, its original, or a rendered variant (never the key itself: it is long and says nothing).
    private static string KindOf(string key) =>
        key == CacheAddresses.Record ? "record" : key == CacheAddresses.Original ? "original" : "variant";

    private async Task<(CacheEntry? Entry, CacheTier Tier)> ReadBelowMemoryAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        if (_disk is not null && await _disk.GetAsync(sourceObject, key, cancellationToken) is { } local)
        {
            _memory?.Set(sourceObject, local);
            return (local, CacheTier.Disk);
        }

        if (_shared is not null && await _shared.GetAsync(sourceObject, key, cancellationToken) is { } shared)
        {
            _memory?.Set(sourceObject, shared);
            if (_disk is not null)
            {
                await _disk.SetAsync(sourceObject, shared, cancellationToken);
            }

            return (shared, CacheTier.Redis);
        }

        return (null, CacheTier.None);
    }

    public async Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        (await GetWithTierAsync(sourceObject, key, cancellationToken)).Entry;

    public async Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.CacheWriteSpan);
        span?.SetTag("imageproxy.cache.kind", entry.Metadata.Kind.ToString().ToLowerInvariant());
        span?.SetTag("imageproxy.bytes", entry.Body.Length);
        _memory?.Set(sourceObject, entry);
        var disk = _disk?.SetAsync(sourceObject, entry, cancellationToken) ?? Task.CompletedTask;
        var shared = _shared?.SetAsync(sourceObject, entry, cancellationToken) ?? Task.CompletedTask;
        await Task.WhenAll(disk, shared);
    }

    public async Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        _memory?.Purge(sourceObject);
        if (_disk is not null)
        {
            await _disk.PurgeAsync(sourceObject, cancellationToken);
        }

        if (_shared is not null && _redis is not null)
        {
            await _shared.PurgeAsync(sourceObject, cancellationToken);
            var message = JsonSerializer.SerializeToUtf8Bytes(new PurgeMessage(_nodeId, sourceObject.Source, sourceObject.ObjectKey), CacheJson.Default.PurgeMessage);
            await _redis.PublishAsync(PurgeChannel, message);
        }
    }

    /// <summary>Listens for other nodes' purges and clears this node's memory and disk for them.</summary>
    public Task SubscribeToPurgesAsync() =>
        _redis is null || (_disk is null && _memory is null)
            ? Task.CompletedTask
            : _redis.SubscribeAsync(PurgeChannel, payload =>
            {
                PurgeMessage? message;
                try
                {
                    message = JsonSerializer.Deserialize(payload, CacheJson.Default.PurgeMessage);
                }
                catch (JsonException)
                {
                    return;
                }

                if (message is null || message.Node == _nodeId)
                {
                    return;
                }

                var target = new SourceObject(message.Source, message.ObjectKey);
                Log.CachePurgeReceived(_logger, target.Source, target.Hash);
                _memory?.Purge(target);
                _ = _disk?.PurgeAsync(target, CancellationToken.None);
            });
}
