using StackExchange.Redis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// L2, shared by all nodes: entries under &lt;prefix&gt;e:&lt;object hash&gt;:&lt;key&gt; with a TTL, plus a set per object
/// (&lt;prefix&gt;o:&lt;object hash&gt;) naming its entries so a purge can find every variant without SCAN.
/// Bodies above the size cap are not stored: large results stay on disk.
/// </summary>
public sealed class RedisResultCache(RedisConnection redis, ResultCacheOptions options, TimeProvider clock) : IResultCache
{
    public async ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        await GetAsync(sourceObject, key, cancellationToken) is { } entry ? (entry, CacheTier.Redis) : (null, CacheTier.None);

    public async Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        var stored = await redis.RunAsync("get", async db => (byte[]?)await db.StringGetAsync(EntryKey(sourceObject, key)), null);
        if (stored is null)
        {
            return null;
        }

        var entry = CacheEntryCodec.Decode(stored, key, out _);
        return entry is not null && entry.Metadata.ExpiresAt > clock.GetUtcNow() ? entry : null;
    }

    public async Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        var ttl = entry.Metadata.ExpiresAt - clock.GetUtcNow();
        if (entry.Body.Length > options.RedisMaxEntryBytes || ttl <= TimeSpan.Zero)
        {
            return;
        }

        var entryKey = EntryKey(sourceObject, entry.Metadata.Key);
        var indexKey = IndexKey(sourceObject);
        var value = CacheEntryCodec.Encode(entry);
        await redis.RunAsync("set", async db =>
        {
            var batch = db.CreateBatch();
            var set = batch.StringSetAsync(entryKey, value, ttl);
            var index = batch.SetAddAsync(indexKey, entry.Metadata.Key);
            // The index lives as long as the longest entry it names (roughly: every write extends it).
            var indexTtl = batch.KeyExpireAsync(indexKey, TimeSpan.FromSeconds(Math.Max(ttl.TotalSeconds, options.ResultLifetimeSeconds)));
            batch.Execute();
            await Task.WhenAll(set, index, indexTtl);
            return true;
        }, false);
    }

    public async Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        var indexKey = IndexKey(sourceObject);
        await redis.RunAsync("purge", async db =>
        {
            var members = await db.SetMembersAsync(indexKey);
            var keys = members.Select(m => (RedisKey)EntryKey(sourceObject, m!)).Append(indexKey).ToArray();
            return await db.KeyDeleteAsync(keys);
        }, 0L);
    }

    private string EntryKey(SourceObject sourceObject, string key) => $"{redis.KeyPrefix}e:{sourceObject.Hash}:{key}";

    private string IndexKey(SourceObject sourceObject) => $"{redis.KeyPrefix}o:{sourceObject.Hash}";
}
