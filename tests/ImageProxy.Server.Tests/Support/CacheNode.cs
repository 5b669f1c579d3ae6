using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Overlays;
using ImageProxy.Transform;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Tests;

/// <summary>
/// One proxy node as ImageService sees it: its own disk directory, optionally a Redis connection, and the
/// origin and renderer it shares with other nodes in the test (so their counters add up across nodes).
/// </summary>
internal sealed class CacheNode : IDisposable
{
    public CacheNode(
        string cacheDir, CountingOrigin origin, CountingRenderer renderer, TimeProvider clock,
        string? redis = null, string? redisPrefix = null, Action<CachingOptions>? configure = null, long maxAgeSeconds = 60,
        Func<IResultCache, IResultCache>? wrapShared = null)
    {
        Clock = clock;
        var caching = new CachingOptions { Redis = redis, RedisKeyPrefix = redisPrefix ?? TestRedis.UniquePrefix() };
        configure?.Invoke(caching);
        Options = caching;
        Disk = new DiskResultCache(cacheDir, clock, DiskLog);
        if (redis is not null)
        {
            Redis = new RedisConnection(redis, caching.RedisKeyPrefix, caching.ResultCache, clock, RedisLog, caching.RedisTrustedCaFile);
            Shared = new RedisResultCache(Redis, caching.ResultCache, clock);
        }

        // wrapShared lets a test stand between the node and Redis (to hold a read at a chosen moment).
        var sharedTier = Shared is null || wrapShared is null ? Shared : wrapShared(Shared);
        Cache = new TieredCache(Disk, sharedTier, Redis, NullLogger<TieredCache>.Instance);
        Source = new ImageSource(
            new SourceDefinition("products", "/products", new FolderSourceSettings("/nonexistent")) { CacheMaxAge = maxAgeSeconds },
            origin);
        // As CachingRegistration does: a cache switched off is no store at all.
        var store = caching.ResultCache.Enabled ? new VariantStore(Cache, sharedTier, caching.ResultCache, clock) : null;
        var policy = new CachePolicy(Microsoft.Extensions.Options.Options.Create(new ProxyOptions()), Microsoft.Extensions.Options.Options.Create(caching), clock);
        var origins = new OriginFetcher(store, clock, NullLogger<OriginFetcher>.Instance, metrics: null);
        Service = new ImageService(
            policy,
            store,
            origins,
            new OverlayResolver(store, origins, policy, NullLogger<OverlayResolver>.Instance),
            new RenderQueue(new ProcessingGate(2, 64), renderer.Render, TimeSpan.FromSeconds(30), metrics: null),
            new CrossNodeLock(Redis is null ? null : new RedisRenderLock(Redis), caching.ResultCache),
            NullLogger<ImageService>.Instance);
    }

    public TimeProvider Clock { get; }

    public CachingOptions Options { get; }

    public CapturingLogger<DiskResultCache> DiskLog { get; } = new();

    public CapturingLogger<RedisConnection> RedisLog { get; } = new();

    public DiskResultCache Disk { get; }

    public RedisConnection? Redis { get; }

    public RedisResultCache? Shared { get; }

    public TieredCache Cache { get; }

    public ImageSource Source { get; }

    public ImageService Service { get; }

    public SourceObject Object(string key = "shoe.jpg") => new(Source.Name, key);

    public static ImageRequest Request(ImageSource source, string query, string key = "shoe.jpg", ClientConditions? conditions = null, FormatDecision? format = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!;
        return new ImageRequest(source, key, plan, format ?? new FormatDecision(plan.Format, AcceptMattered: false), conditions ?? ClientConditions.None);
    }

    public Task<ImageResult> GetAsync(string query, string key = "shoe.jpg", ClientConditions? conditions = null, CancellationToken cancellationToken = default) =>
        Service.GetAsync(Request(Source, query, key, conditions), new RequestTimings(), cancellationToken);

    public async Task WaitForRedisAsync()
    {
        Assert.That(await Redis!.WaitConnectedAsync(TimeSpan.FromSeconds(10)), Is.True, "Redis connection");
    }

    public void Dispose() => Redis?.Dispose();
}
