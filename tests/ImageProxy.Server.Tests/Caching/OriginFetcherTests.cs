using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>
/// The fetcher on its own, as a second caller (overlays: watermark, blend and mask images) uses it: any object of a
/// source, coalesced, conditional once its record is stale, and cached like an original.
/// </summary>
public sealed class OriginFetcherTests
{
    private TempDirectory _dir = null!;
    private FakeTimeProvider _clock = null!;
    private CountingOrigin _origin = null!;
    private ImageSource _source = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        _origin = new CountingOrigin();
        _source = new ImageSource(
            new SourceDefinition("marks", "/marks", new FolderSourceSettings("/nonexistent")) { CacheMaxAge = 60 },
            _origin);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private OriginFetcher Fetcher(bool withCache = true)
    {
        var store = withCache
            ? new VariantStore(new DiskResultCache(_dir.Path, _clock, NullLogger<DiskResultCache>.Instance), null, new ResultCacheOptions(), _clock)
            : null;
        return new OriginFetcher(store, _clock, NullLogger<OriginFetcher>.Instance, metrics: null);
    }

    [Test]
    public async Task Concurrent_gets_of_one_object_ask_the_origin_once()
    {
        var fetcher = Fetcher();
        _origin.Delay = TimeSpan.FromMilliseconds(200);

        var both = await Task.WhenAll(
            fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None),
            fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(_origin.Fetches, Is.EqualTo(1));
            Assert.That(both[0], Is.EqualTo(_origin.Bytes));
            Assert.That(both[1], Is.EqualTo(_origin.Bytes));
        });
    }

    [Test]
    public async Task A_fresh_object_comes_from_the_cache_and_a_stale_one_is_revalidated_conditionally()
    {
        var fetcher = Fetcher();
        var first = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        var again = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        Assert.That(_origin.Fetches, Is.EqualTo(1), "within max-age: no origin call");

        _clock.Advance(TimeSpan.FromSeconds(61));
        var revalidated = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        var afterwards = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(revalidated, Is.EqualTo(first), "304: the cached original");
            Assert.That(afterwards, Is.EqualTo(first));
            Assert.That(_origin.Fetches, Is.EqualTo(2), "the 304 renewed the record");
            Assert.That(_origin.ConditionalFetches, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_changed_object_is_fetched_anew_once_its_record_is_stale()
    {
        var fetcher = Fetcher();
        await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        _origin.ETag = "\"v2\"";
        _origin.Bytes = [7, 7];

        var beforeMaxAge = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var after = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(beforeMaxAge, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }), "the record is trusted for max-age");
            Assert.That(after, Is.EqualTo(new byte[] { 7, 7 }));
        });
    }

    [Test]
    public void A_missing_object_is_a_not_found()
    {
        _origin.Missing = true;

        Assert.ThrowsAsync<ObjectNotFoundException>(() => Fetcher().GetAsync(_source, "gone.png", new RequestTimings(), CancellationToken.None));
    }

    [Test]
    public async Task Without_a_result_cache_every_get_asks_the_origin()
    {
        var fetcher = Fetcher(withCache: false);

        await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);
        var second = await fetcher.GetAsync(_source, "logo.png", new RequestTimings(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(_origin.Bytes));
            Assert.That(_origin.Fetches, Is.EqualTo(2));
        });
    }
}
