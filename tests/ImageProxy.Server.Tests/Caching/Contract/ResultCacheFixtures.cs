using ImageProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching.Contract;

/// <summary>L0: the per-process memory tier, with a budget far above what the suite stores.</summary>
public sealed class MemoryResultCacheContract : ResultCacheContract
{
    private const int EntryCap = 4096;

    protected override bool KeepsOriginals => false;

    protected override int? MaxEntryBytes => EntryCap;

    protected override IResultCache Create(FakeTimeProvider clock) => new MemoryResultCache(64 << 20, EntryCap, clock);
}

/// <summary>L1: the disk tier in a fresh directory.</summary>
public sealed class DiskResultCacheContract : ResultCacheContract
{
    private TempDirectory? _directory;

    protected override bool KeepsOriginals => true;

    protected override int? MaxEntryBytes => null;

    protected override IResultCache Create(FakeTimeProvider clock)
    {
        _directory = new TempDirectory();
        return new DiskResultCache(_directory.Path, clock, NullLogger<DiskResultCache>.Instance);
    }

    [TearDown]
    public void RemoveDirectory() => _directory?.Dispose();
}

/// <summary>L2: the Redis tier against the real redis-server test.sh starts (IMAGEPROXY_TEST_REDIS), each test under its own key prefix.</summary>
[Category("Services")]
public sealed class RedisResultCacheContract : ResultCacheContract
{
    private const int EntryCap = 64 * 1024;

    protected override bool KeepsOriginals => true;

    protected override int? MaxEntryBytes => EntryCap;

    protected override IResultCache Create(FakeTimeProvider clock)
    {
        // A generous call budget: the suite checks what the tier stores, not how it copes with a slow Redis.
        var options = new ResultCacheOptions { RedisMaxEntryBytes = EntryCap, RedisTimeoutMilliseconds = 5000 };
        var connection = new RedisConnection(
            TestRedis.RequireEndpoint(), TestRedis.UniquePrefix(), options, clock, NullLogger<RedisConnection>.Instance);
        Assert.That(connection.WaitConnectedAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult(), Is.True, "Redis connection");
        return new DisposingRedisCache(connection, new RedisResultCache(connection, options, clock));
    }

    /// <summary>The tier plus the connection it owns in this test, closed when the test ends.</summary>
    private sealed class DisposingRedisCache(RedisConnection connection, RedisResultCache cache) : IResultCache, IDisposable
    {
        public Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
            cache.GetAsync(sourceObject, key, cancellationToken);

        public ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
            cache.GetWithTierAsync(sourceObject, key, cancellationToken);

        public Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken) =>
            cache.SetAsync(sourceObject, entry, cancellationToken);

        public Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken) =>
            cache.PurgeAsync(sourceObject, cancellationToken);

        public void Dispose() => connection.Dispose();
    }
}
