using ImageProxy.Server.Caching;
using ImageProxy.Server.Http;
using ImageProxy.Server.Origins;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>ImageService with the disk tier, a counting origin and a counting renderer (no libvips, no Redis).</summary>
public sealed class ImageServiceCachingTests
{
    private TempDirectory _dir = null!;
    private CountingOrigin _origin = null!;
    private CountingRenderer _renderer = null!;
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _origin = new CountingOrigin();
        _renderer = new CountingRenderer();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    /// <summary>Past the nodes' max-age (60 s) and the default stale-while-revalidate window (60 s).</summary>
    private static readonly TimeSpan PastStaleWhileRevalidate = TimeSpan.FromSeconds(60 + 60 + 1);

    private CacheNode Node(Action<CachingOptions>? configure = null) => new(_dir.Path, _origin, _renderer, _clock, configure: configure);

    [Test]
    public async Task ParallelIdenticalRequestsFetchAndRenderOnce()
    {
        using var node = Node();
        _renderer.Delay = TimeSpan.FromMilliseconds(100);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => node.GetAsync("w=100"))));

        Assert.Multiple(() =>
        {
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(1));
            Assert.That(results.Select(r => r.ETag).Distinct().Count(), Is.EqualTo(1));
            Assert.That(node.Service.RendersInFlight, Is.Zero);
        });
    }

    [Test]
    public async Task RepeatedRequestIsADiskHitWithoutOriginOrRender()
    {
        using var node = Node();
        var first = await node.GetAsync("w=100");
        var second = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(first.Tier, Is.EqualTo(CacheTier.None));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(second.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
            Assert.That(second.ETag, Is.EqualTo(first.ETag));
            Assert.That(second.ContentType, Is.EqualTo("image/jpeg"));
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task IfNoneMatchGets304WithoutOriginOrRender()
    {
        using var node = Node();
        var first = await node.GetAsync("w=100");

        var revalidation = await node.GetAsync("w=100", conditions: new ClientConditions([first.ETag], null));
        var weak = await node.GetAsync("w=100", conditions: new ClientConditions(["W/" + first.ETag], null));

        Assert.Multiple(() =>
        {
            Assert.That(revalidation.NotModified, Is.True);
            Assert.That(weak.NotModified, Is.True);
            Assert.That(revalidation.ETag, Is.EqualTo(first.ETag));
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task EquivalentQueriesShareOneEntry()
    {
        using var node = Node();
        var a = await node.GetAsync("w=100&h=50&fit=crop");
        var b = await node.GetAsync("fit=crop&h=50&w=100&unknownjunk=1&s=ignored");

        Assert.Multiple(() =>
        {
            Assert.That(b.ETag, Is.EqualTo(a.ETag));
            Assert.That(b.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(_renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ManyVariantsOfOneImageCostOneOriginDownload()
    {
        using var node = Node();
        await node.GetAsync("w=100");
        await node.GetAsync("w=200");
        await Task.WhenAll(Enumerable.Range(3, 8).Select(i => node.GetAsync($"w={i * 100}")));

        Assert.Multiple(() =>
        {
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(10));
        });
    }

    [Test]
    public async Task ConcurrentDifferentVariantsOfAnUncachedImageShareTheOriginFetch()
    {
        using var node = Node();
        _origin.Delay = TimeSpan.FromMilliseconds(200);

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => node.GetAsync($"w={i * 100}"))));

        Assert.Multiple(() =>
        {
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(6));
        });
    }

    [Test]
    public async Task AfterMaxAgeAnUnchangedOriginIsRevalidatedConditionallyAndNotRendered()
    {
        using var node = Node(o => o.ResultCache.StaleWhileRevalidateSeconds = 0); // revalidate before answering
        var first = await node.GetAsync("w=100");
        _clock.Advance(TimeSpan.FromSeconds(61));

        var second = await node.GetAsync("w=100");
        var third = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(second.ETag, Is.EqualTo(first.ETag));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(_origin.ConditionalFetches, Is.EqualTo(1), "one conditional revalidation");
            Assert.That(_origin.Fetches, Is.EqualTo(2), "no full download after the 304");
            Assert.That(_renderer.Renders, Is.EqualTo(1));
            Assert.That(third.Tier, Is.EqualTo(CacheTier.Disk), "the revalidated record is fresh again");
        });
    }

    [Test]
    public async Task AfterMaxAgeAChangedOriginGetsNewVariantsAndANewETag()
    {
        using var node = Node();
        var first = await node.GetAsync("w=100");
        _origin.ETag = "\"v2\"";
        _origin.Bytes = [9, 9, 9];

        var beforeMaxAge = await node.GetAsync("w=100");
        _clock.Advance(PastStaleWhileRevalidate);
        var afterMaxAge = await node.GetAsync("w=100");
        var oldClient = await node.GetAsync("w=100", conditions: new ClientConditions([first.ETag], null));

        Assert.Multiple(() =>
        {
            Assert.That(beforeMaxAge.ETag, Is.EqualTo(first.ETag), "trusted until max-age");
            Assert.That(afterMaxAge.ETag, Is.Not.EqualTo(first.ETag), "past stale-while-revalidate the request waits for the new variant");
            Assert.That(afterMaxAge.Stale, Is.False);
            Assert.That(System.Text.Encoding.UTF8.GetString(afterMaxAge.Body.Span), Does.EndWith("090909"));
            Assert.That(oldClient.NotModified, Is.False, "a client holding the old variant gets the new one");
            Assert.That(_renderer.Renders, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task WithinStaleWhileRevalidateTheOldVariantIsServedAtOnceAndOneRevalidationRunsBehindIt()
    {
        using var node = Node(o => o.ResultCache.SharedMaxAgeSeconds = 86400);
        var first = await node.GetAsync("w=100");
        _origin.ETag = "\"v2\"";
        _origin.Bytes = [9, 9, 9];
        using var hold = new ManualResetEventSlim();
        _renderer.Hold = hold;
        _clock.Advance(TimeSpan.FromSeconds(61)); // max-age 60, stale-while-revalidate 60 (the default)

        // Both answers arrive while the new render is held: had they waited for it, WaitAsync would throw.
        var stale = await node.GetAsync("w=100").WaitAsync(TimeSpan.FromSeconds(10));
        var alsoStale = await node.GetAsync("w=100", conditions: new ClientConditions([first.ETag], null)).WaitAsync(TimeSpan.FromSeconds(10));
        hold.Set();
        await Eventually.That(() => _renderer.Renders == 2 && node.Service.RendersInFlight == 0, "the background revalidation rendered and finished");
        var fresh = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(stale.Stale, Is.True);
            Assert.That(stale.ETag, Is.EqualTo(first.ETag));
            Assert.That(stale.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
            Assert.That(stale.Cached, Is.Null, "never remembered by the response memo");
            Assert.That(ResponseHeaders.CacheControl(stale, 60, null, _clock.GetUtcNow()), Does.StartWith("public, max-age=0").And.Not.Contain("s-maxage"),
                "no CDN keeps a stale answer");
            Assert.That(alsoStale.NotModified, Is.True, "the client's copy is what we would send");
            Assert.That(_origin.Fetches, Is.EqualTo(2), "one revalidation for both requests");
            Assert.That(_renderer.Renders, Is.EqualTo(2));
            Assert.That(fresh.Stale, Is.False);
            Assert.That(fresh.ETag, Is.Not.EqualTo(first.ETag), "the background job stored the new variant");
            Assert.That(fresh.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(System.Text.Encoding.UTF8.GetString(fresh.Body.Span), Does.EndWith("090909"));
        });
    }

    [Test]
    public async Task AnObjectDeletedAtTheOriginIsGoneOnceTheBackgroundRevalidationHasRun()
    {
        using var node = Node();
        var first = await node.GetAsync("w=100");
        _origin.Missing = true;
        _clock.Advance(TimeSpan.FromSeconds(61));

        var stale = await node.GetAsync("w=100");
        await Eventually.That(() => _origin.Fetches == 2 && node.Service.RendersInFlight == 0, "the background revalidation fetched and finished");

        Assert.Multiple(() =>
        {
            Assert.That(stale.Stale, Is.True);
            Assert.That(stale.ETag, Is.EqualTo(first.ETag));
            Assert.ThrowsAsync<ObjectNotFoundException>(() => node.GetAsync("w=100"));
            Assert.That(_origin.Fetches, Is.EqualTo(3), "the record was purged with the variants: the 404 is the origin's");
        });
    }

    [Test]
    public async Task OriginFailureServesStaleWithinStaleIfErrorOnly()
    {
        using var node = Node(o => o.ResultCache.StaleIfErrorSeconds = 3600);
        var first = await node.GetAsync("w=100");
        _origin.Failure = new OriginUnavailableException("origin down");

        _clock.Advance(TimeSpan.FromSeconds(61 + 1800));
        var stale = await node.GetAsync("w=100");
        _clock.Advance(TimeSpan.FromSeconds(3600));

        Assert.Multiple(() =>
        {
            Assert.That(stale.Stale, Is.True);
            Assert.That(stale.ETag, Is.EqualTo(first.ETag));
            Assert.That(stale.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
            Assert.ThrowsAsync<OriginUnavailableException>(() => node.GetAsync("w=100"));
        });
    }

    [Test]
    public async Task ObjectGoneAtTheOriginIsNotServedFromCacheAfterMaxAge()
    {
        using var node = Node(o => o.ResultCache.StaleWhileRevalidateSeconds = 0);
        await node.GetAsync("w=100");
        _origin.Missing = true;
        _clock.Advance(TimeSpan.FromSeconds(61));

        Assert.ThrowsAsync<ObjectNotFoundException>(() => node.GetAsync("w=100"));
        _origin.Missing = false;
        await node.GetAsync("w=100");
        Assert.That(_renderer.Renders, Is.EqualTo(2), "the purge removed the old variant");
    }

    [Test]
    public async Task DisabledResultCacheRendersEveryTime()
    {
        using var node = Node(o => o.ResultCache.Enabled = false);
        await node.GetAsync("w=100");
        await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(_origin.Fetches, Is.EqualTo(2));
            Assert.That(_renderer.Renders, Is.EqualTo(2));
            Assert.That(Directory.EnumerateFiles(_dir.Path, "*.entry", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public async Task CacheSurvivesARestart()
    {
        string etag;
        using (var before = Node())
        {
            etag = (await before.GetAsync("w=100")).ETag;
        }

        using var after = Node();
        var result = await after.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(result.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(result.ETag, Is.EqualTo(etag));
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(_renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ACorruptedEntryIsDeletedAndRenderedAgainNeverServed()
    {
        using var node = Node();
        var first = await node.GetAsync("w=100");
        var path = node.Disk.EntryPath(node.Object(), first.ETag.Trim('"'));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        var second = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(second.Body.ToArray(), Is.EqualTo(first.Body.ToArray()));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.None));
            Assert.That(_renderer.Renders, Is.EqualTo(2));
            Assert.That(node.DiskLog.Count("CacheEntryRejected"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ACancelledFirstCallerDoesNotFailTheFollowers()
    {
        using var node = Node();
        using var hold = new ManualResetEventSlim();
        _renderer.Hold = hold;
        using var firstCaller = new CancellationTokenSource();

        var first = node.GetAsync("w=100", cancellationToken: firstCaller.Token);
        await Eventually.That(() => _renderer.Renders > 0, "the first caller's render started");

        var followers = Enumerable.Range(0, 4).Select(_ => node.GetAsync("w=100")).ToArray();
        await firstCaller.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(async () => await first);
        hold.Set();

        var results = await Task.WhenAll(followers);
        Assert.Multiple(() =>
        {
            Assert.That(results.All(r => !r.NotModified && r.Body.Length > 0), Is.True);
            Assert.That(_renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ResultsNameTheObjectForTheCdnAndCarryTheSharedCacheDirectives()
    {
        using var node = Node(o =>
        {
            o.ResultCache.SharedMaxAgeSeconds = 86400;
            o.ResultCache.StaleWhileRevalidateSeconds = 30;
            o.ResultCache.StaleIfErrorSeconds = 600;
        });
        var result = await node.GetAsync("w=100");
        var otherObject = await node.GetAsync("w=100", key: "boot.jpg");

        Assert.Multiple(() =>
        {
            Assert.That(ResponseHeaders.CacheControl(result, 60, null, DateTimeOffset.UnixEpoch),
                Is.EqualTo("public, max-age=60, s-maxage=86400, stale-while-revalidate=30, stale-if-error=600"));
            Assert.That(result.SurrogateKeys[0], Is.EqualTo("imageproxy-src-products"));
            Assert.That(result.SurrogateKeys[1], Does.StartWith("imageproxy-obj-"));
            Assert.That(otherObject.SurrogateKeys[1], Is.Not.EqualTo(result.SurrogateKeys[1]));
        });
    }
}
