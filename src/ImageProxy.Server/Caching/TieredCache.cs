using System.Text.Json;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Disk first, then Redis; a Redis hit back-fills disk. Writes go to both (Redis only under its size cap).
/// A purge clears both and tells the other nodes over Redis pub/sub to clear their disks.
/// </summary>
public sealed class TieredCache : IResultCache
{
    internal const string PurgeChannel = "purge";
    private readonly IResultCache? _disk;
    private readonly RedisResultCache? _shared;
    private readonly RedisConnection? _redis;
    private readonly ILogger _logger;
    private readonly string _nodeId = Guid.NewGuid().ToString("N");

    public TieredCache(IResultCache? disk, RedisResultCache? shared, RedisConnection? redis, ILogger<TieredCache> logger)
    {
        _disk = disk;
        _shared = shared;
        _redis = redis;
        _logger = logger;
    }

    /// <summary>Which tier answered the last hit is reported through this, for X-Cache and the warm command.</summary>
    public async Task<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        if (_disk is not null && await _disk.GetAsync(sourceObject, key, cancellationToken) is { } local)
        {
            return (local, CacheTier.Disk);
        }

        if (_shared is not null && await _shared.GetAsync(sourceObject, key, cancellationToken) is { } shared)
        {
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

    /// <summary>Redis only: what another node may have just stored (disk would not have it).</summary>
    public Task<CacheEntry?> GetSharedAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        _shared?.GetAsync(sourceObject, key, cancellationToken) ?? Task.FromResult<CacheEntry?>(null);

    public bool HasSharedTier => _shared is not null;

    public async Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        var disk = _disk?.SetAsync(sourceObject, entry, cancellationToken) ?? Task.CompletedTask;
        var shared = _shared?.SetAsync(sourceObject, entry, cancellationToken) ?? Task.CompletedTask;
        await Task.WhenAll(disk, shared);
    }

    public async Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
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

    /// <summary>Listens for other nodes' purges and clears this node's disk for them.</summary>
    public Task SubscribeToPurgesAsync() =>
        _redis is null || _disk is null
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
                _ = _disk.PurgeAsync(target, CancellationToken.None);
            });
}
