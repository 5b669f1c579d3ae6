using System.Diagnostics;
using System.Text.Json;
using ImageProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>Two nodes (own disk directories, own Redis connections) sharing a real redis-server, origin and renderer.</summary>
public sealed class RedisTierTests
{
    private TwoNodes _nodes = null!;
    private string _prefix = null!;

    [SetUp]
    public void SetUp()
    {
        _nodes = new TwoNodes();
        _prefix = TestRedis.UniquePrefix();
    }

    [TearDown]
    public void TearDown()
    {
        _nodes.Dispose();
    }

    private async Task<CacheNode> NodeAsync(
        TempDirectory dir, string? endpoint = null, Action<CachingOptions>? configure = null, Func<IResultCache, IResultCache>? wrapShared = null,
        TimeProvider? clock = null)
    {
        var node = new CacheNode(
            dir.Path, _nodes.Origin, _nodes.Renderer, clock ?? TimeProvider.System, endpoint ?? TestRedis.RequireEndpoint(), _prefix, configure, wrapShared: wrapShared);
        await node.WaitForRedisAsync();
        return node;
    }

    [Test]
    public async Task ARedisHitOnAnotherNodeBackfillsItsDisk()
    {
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB);
        var rendered = await a.GetAsync("w=100");

        var fromRedis = await b.GetAsync("w=100");
        var fromDisk = await b.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(fromRedis.Tier, Is.EqualTo(CacheTier.Redis));
            Assert.That(fromRedis.Body.ToArray(), Is.EqualTo(rendered.Body.ToArray()));
            Assert.That(fromDisk.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(_nodes.Origin.Fetches, Is.EqualTo(1));
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ParallelIdenticalRequestsOnTwoNodesFetchAndRenderOnce()
    {
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB);
        _nodes.Renderer.Delay = TimeSpan.FromMilliseconds(300);

        var requests = Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetAsync("w=100"))).ToArray();
        var results = await Task.WhenAll(requests);

        Assert.Multiple(() =>
        {
            Assert.That(_nodes.Origin.Fetches, Is.EqualTo(1));
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(1));
            Assert.That(results.Select(r => r.ETag).Distinct().Count(), Is.EqualTo(1));
            Assert.That(results.Select(r => Convert.ToHexString(r.Body.Span)).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ACallerThatReadNoRecordBeforeAnotherNodeFinishedNeitherFetchesNorRendersAgain()
    {
        PausingCache? pausing = null;
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB, wrapShared: shared => pausing = new PausingCache(shared, CacheAddresses.Record));
        pausing!.Arm();

        // B's caller reads "no record" from Redis and is held right there...
        var late = Task.Run(() => b.GetAsync("w=100"));
        await pausing.Paused.WaitAsync(TimeSpan.FromSeconds(10));
        // ...while A fetches, renders, writes result and record, and releases the render lock.
        var first = await a.GetAsync("w=100");
        pausing.Release();
        var second = await late;

        Assert.Multiple(() =>
        {
            Assert.That(_nodes.Origin.Fetches, Is.EqualTo(1), "the late caller found A's result instead of taking the free lock and fetching");
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(1));
            Assert.That(second.ETag, Is.EqualTo(first.ETag));
            Assert.That(second.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
        });
    }

    [Test]
    public async Task ANodeWaitingOnANewVariantOfAKnownObjectTakesTheHoldersResult()
    {
        // A wait far beyond the test's patience: a waiter that cannot recognise the holder's result only ends
        // by giving up, so the test would time out instead of passing after a stall.
        using var a = await NodeAsync(_nodes.DirA, configure: o => o.ResultCache.RenderLockWaitMilliseconds = 120_000);
        using var b = await NodeAsync(_nodes.DirB, configure: o => o.ResultCache.RenderLockWaitMilliseconds = 120_000);
        // Both nodes hold the fresh record and the original is cached, so the lock holder writes no new record:
        // the waiter must look for the variant under the record it already has.
        await a.GetAsync("w=100");
        await b.GetAsync("w=100");
        _nodes.Renderer.Delay = TimeSpan.FromMilliseconds(300);

        var burst = Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetAsync("w=200"))));
        var results = await burst.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(2), "w=100 once and w=200 once");
            Assert.That(_nodes.Origin.Fetches, Is.EqualTo(1));
            Assert.That(results.Select(r => r.ETag).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AWaitingNodeRendersItselfWhenTheLockHolderIsTooSlow()
    {
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB, configure: o => o.ResultCache.RenderLockWaitMilliseconds = 200);
        _nodes.Renderer.Delay = TimeSpan.FromMilliseconds(1500);

        var slow = Task.Run(() => a.GetAsync("w=100"));
        // A renders only while holding the render lock: once its render has begun, B must wait for it.
        await Eventually.That(() => _nodes.Renderer.Renders > 0, "A holds the render lock and renders");
        var watch = Stopwatch.StartNew();
        var impatient = await b.GetAsync("w=100");
        watch.Stop();
        await slow;

        Assert.Multiple(() =>
        {
            Assert.That(impatient.Body.Length, Is.GreaterThan(0));
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(2), "the waiter gave up and rendered");
            // Bounded by the wait plus its own render, not by the 15 s lock lifetime.
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task ResultsAboveTheSizeCapStayOnDiskOnly()
    {
        using var a = await NodeAsync(_nodes.DirA, configure: o => o.ResultCache.RedisMaxEntryBytes = 8);
        using var b = await NodeAsync(_nodes.DirB, configure: o => o.ResultCache.RedisMaxEntryBytes = 8);
        var first = await a.GetAsync("w=100");

        var key = first.ETag.Trim('"');
        Assert.Multiple(async () =>
        {
            Assert.That(await a.Shared!.GetAsync(a.Object(), key, CancellationToken.None), Is.Null);
            Assert.That(await a.Disk.GetAsync(a.Object(), key, CancellationToken.None), Is.Not.Null);
        });
    }

    [Test]
    public async Task EntriesInRedisHaveATimeToLive()
    {
        using var a = await NodeAsync(_nodes.DirA, configure: o => o.ResultCache.ResultLifetimeSeconds = 120);
        var first = await a.GetAsync("w=100");

        var ttl = await a.Redis!.RunAsync("ttl", db => db.KeyTimeToLiveAsync($"{_prefix}e:{a.Object().Hash}:{first.ETag.Trim('"')}"), null);

        Assert.That(ttl, Is.Not.Null.And.GreaterThan(TimeSpan.FromSeconds(100)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(120)));
    }

    [Test]
    public async Task APurgeOnOneNodeClearsRedisAndTheOtherNodesDisk()
    {
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB);
        await b.Cache.SubscribeToPurgesAsync();
        await a.GetAsync("w=100");
        await a.GetAsync("w=200");
        await b.GetAsync("w=100");
        await b.GetAsync("w=200");
        await a.GetAsync("w=100", key: "other.jpg");
        Assert.That(Directory.EnumerateFiles(_nodes.DirB.Path, "*.entry", SearchOption.AllDirectories).Count(), Is.GreaterThanOrEqualTo(3));

        await a.Cache.PurgeAsync(a.Object(), CancellationToken.None);
        await Eventually.That(() => !Directory.Exists(Path.GetDirectoryName(b.Disk.EntryPath(b.Object(), CacheAddresses.Record))), "B's disk drops the purged object");
        var fetchesBefore = _nodes.Origin.Fetches;
        var again = await b.GetAsync("w=100");
        var other = await a.GetAsync("w=100", key: "other.jpg");

        Assert.Multiple(() =>
        {
            Assert.That(again.Tier, Is.EqualTo(CacheTier.None), "no tier still has the purged variant");
            Assert.That(_nodes.Origin.Fetches, Is.EqualTo(fetchesBefore + 1), "the cached original was purged too");
            Assert.That(other.Tier, Is.EqualTo(CacheTier.Disk), "other objects are untouched");
        });
    }

    [Test]
    public async Task APurgePublishedAsSoonAsTheNodeHasStartedReachesIt()
    {
        using var a = await NodeAsync(_nodes.DirA);
        using var b = await NodeAsync(_nodes.DirB);
        await b.GetAsync("w=100");
        var bRecord = Path.GetDirectoryName(b.Disk.EntryPath(b.Object(), CacheAddresses.Record))!;
        Assert.That(Directory.Exists(bRecord), Is.True);

        await new PurgeSubscriber(b.Cache, NullLogger<PurgeSubscriber>.Instance).StartAsync(CancellationToken.None);
        // The host reports started right after StartAsync: publish at once, as another node's purge could.
        var message = JsonSerializer.SerializeToUtf8Bytes(new PurgeMessage("another-node", b.Object().Source, b.Object().ObjectKey), CacheJson.Default.PurgeMessage);
        Assert.That(await a.Redis!.PublishAsync(TieredCache.PurgeChannel, message), Is.EqualTo(1), "one subscriber: B");

        await Eventually.That(() => !Directory.Exists(bRecord), "B's disk drops the purged object");
    }

    [Test]
    public async Task ANodeStartedWhileRedisIsDownSubscribesToPurgesWhenRedisComesBack()
    {
        using var redis = PrivateRedisServer.Start();
        redis.Kill();
        using var b = new CacheNode(_nodes.DirB.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, redis.Endpoint, _prefix);
        await b.GetAsync("w=100");
        var bRecord = Path.GetDirectoryName(b.Disk.EntryPath(b.Object(), CacheAddresses.Record))!;

        // Start-up goes on without Redis (bounded wait), and the node serves from disk meanwhile.
        await new PurgeSubscriber(b.Cache, NullLogger<PurgeSubscriber>.Instance).StartAsync(CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That((await b.GetAsync("w=100")).Tier, Is.EqualTo(CacheTier.Disk));

        redis.Restart();
        await b.WaitForRedisAsync();
        using var a = await NodeAsync(_nodes.DirA, redis.Endpoint);
        // The multiplexer re-subscribes after it reconnects, a moment later: purge until B has heard one.
        await Eventually.That(async () =>
        {
            await a.Cache.PurgeAsync(a.Object(), CancellationToken.None);
            return !Directory.Exists(bRecord);
        }, "B receives a purge after Redis comes back", TimeSpan.FromSeconds(15));
    }

    [Test]
    public async Task RequestsGoOnWhenRedisIsKilledMidRunAndRecoverWhenItReturns()
    {
        using var redis = PrivateRedisServer.Start();
        // The breaker runs on this clock: it stays open until the test moves time past the break, so whether a
        // write reaches Redis depends on the test's steps only, never on how long the machine took.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        const int BreakSeconds = 10;
        using var a = await NodeAsync(_nodes.DirA, redis.Endpoint, o =>
        {
            o.ResultCache.RedisTimeoutMilliseconds = 200;
            o.ResultCache.RedisBreakerSeconds = BreakSeconds;
        }, clock: clock);
        await a.GetAsync("w=100");

        redis.Kill();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var result = await a.GetAsync($"w={200 + i}");
            Assert.That(result.Body.Length, Is.GreaterThan(0));
        }

        watch.Stop();
        var hit = await a.GetAsync("w=100");
        Assert.Multiple(() =>
        {
            Assert.That(hit.Tier, Is.EqualTo(CacheTier.Disk), "the disk tier keeps serving");
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the breaker keeps Redis timeouts off most requests");
            Assert.That(a.RedisLog.Count("RedisCircuitOpened"), Is.GreaterThanOrEqualTo(1));
        });

        redis.Restart();
        await a.WaitForRedisAsync();
        using var b = await NodeAsync(_nodes.DirB, redis.Endpoint, clock: clock);

        // Redis is back, but A's circuit is still open (no time has passed on its clock): A does not write to Redis,
        // so B finds nothing there and renders itself.
        await a.GetAsync("w=800");
        var whileOpen = await b.GetAsync("w=800");
        Assert.That(whileOpen.Tier, Is.EqualTo(CacheTier.None), "no Redis writes while the circuit is open");

        // Past the break, A's next call is the trial; Redis answers it, the circuit closes and A's writes reach Redis again.
        clock.Advance(TimeSpan.FromSeconds(BreakSeconds + 1));
        var rendersBefore = _nodes.Renderer.Renders;
        await a.GetAsync("w=901");
        var shared = await b.GetAsync("w=901");
        Assert.Multiple(() =>
        {
            Assert.That(shared.Tier, Is.EqualTo(CacheTier.Redis), "writes to Redis resume after the breaker closes");
            Assert.That(_nodes.Renderer.Renders - rendersBefore, Is.EqualTo(1), "B served A's rendering");
        });
    }

    [Test]
    public async Task AnUnreachableRedisAtStartUpDoesNotFailRequests()
    {
        using var node = new CacheNode(_nodes.DirA.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, "127.0.0.1:1", _prefix);
        var first = await node.GetAsync("w=100");
        var second = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(first.Body.Length, Is.GreaterThan(0));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.Disk));
        });
    }
}
