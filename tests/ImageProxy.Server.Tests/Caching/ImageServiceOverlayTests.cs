using System.Collections.Concurrent;
using System.Text;
using ImageProxy.Imaging;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Overlays;
using ImageProxy.Transform;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>
/// Overlay images through ImageService with the disk tier, an origin of several objects that counts its calls, and a
/// renderer that writes which picture and which overlay bytes it was given (no libvips).
/// </summary>
public sealed class ImageServiceOverlayTests
{
    private const long MaxAgeSeconds = 60;

    private TempDirectory _dir = null!;
    private ObjectsOrigin _origin = null!;
    private FakeTimeProvider _clock = null!;
    private ImageService _service = null!;
    private ImageSource _source = null!;
    private int _renders;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        _origin = new ObjectsOrigin();
        _origin.Put("shoe.jpg", "shoe", "\"s1\"");
        _origin.Put("logo.png", "logo-1", "\"l1\"");
        _renders = 0;
        var caching = new CachingOptions();
        var cache = new TieredCache(new DiskResultCache(_dir.Path, _clock, NullLogger<DiskResultCache>.Instance), null, null, NullLogger<TieredCache>.Instance);
        _source = new ImageSource(
            new SourceDefinition("products", "/products", new FolderSourceSettings("/nonexistent")) { CacheMaxAge = MaxAgeSeconds },
            _origin);
        var store = new VariantStore(cache, null, caching.ResultCache, _clock);
        var policy = new CachePolicy(Microsoft.Extensions.Options.Options.Create(new ProxyOptions()), Microsoft.Extensions.Options.Options.Create(caching), _clock);
        var origins = new OriginFetcher(store, _clock, NullLogger<OriginFetcher>.Instance, metrics: null);
        _service = new ImageService(
            policy, store, origins, new OverlayResolver(store, origins, policy, NullLogger<OverlayResolver>.Instance),
            new RenderQueue(new ProcessingGate(2, 64), Render, TimeSpan.FromSeconds(30), metrics: null),
            new CrossNodeLock(null, caching.ResultCache), NullLogger<ImageService>.Instance);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private RenderResult Render(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, bool detectFaces, OverlayImages? overlays, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renders);
        var body = $"{Encoding.UTF8.GetString(source)}+{(overlays?.Mark is { } mark ? Encoding.UTF8.GetString(mark) : "-")}|{CacheKey.Canonical(plan)}";
        return new RenderResult(Encoding.UTF8.GetBytes(body), ImageFormat.Jpeg, 10, 7);
    }

    private async Task<(string Body, string ETag)> GetAsync(string query)
    {
        var result = await _service.GetAsync(CacheNode.Request(_source, query), new RequestTimings(), CancellationToken.None);
        return (Encoding.UTF8.GetString(result.Body.Span), result.ETag);
    }

    [Test]
    public async Task A_watermark_used_by_many_variants_is_fetched_once()
    {
        var bodies = new List<string>();
        for (var width = 100; width < 400; width += 10)
        {
            bodies.Add((await GetAsync($"w={width}&mark=/logo.png")).Body);
        }

        // 30 variants, 30 renders; one origin call for the picture and one for the watermark.
        Assert.Multiple(() =>
        {
            Assert.That(_renders, Is.EqualTo(30));
            Assert.That(_origin.Calls("logo.png"), Is.EqualTo(1));
            Assert.That(_origin.Calls("shoe.jpg"), Is.EqualTo(1));
            Assert.That(bodies, Has.All.StartWith("shoe+logo-1|"));
        });
    }

    [Test]
    public async Task Many_variants_at_once_share_one_watermark_fetch()
    {
        _origin.Delay = TimeSpan.FromMilliseconds(50);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => GetAsync($"w={100 + i}&mark=/logo.png"))));
        Assert.That(_origin.Calls("logo.png"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_hit_asks_neither_origin_and_a_changed_watermark_makes_a_new_variant()
    {
        var first = await GetAsync("w=100&mark=/logo.png");
        var hit = await GetAsync("w=100&mark=/logo.png");
        Assert.That((hit, _renders, _origin.Calls("logo.png")), Is.EqualTo((first, 1, 1)));

        // The watermark changes at the origin; once the records are stale (max-age and stale-while-revalidate), the
        // overlay is revalidated before the variant is keyed: its new validator makes a new key and a new render.
        _origin.Put("logo.png", "logo-2", "\"l2\"");
        _clock.Advance(TimeSpan.FromSeconds(MaxAgeSeconds + 61));
        var changed = await GetAsync("w=100&mark=/logo.png");
        Assert.Multiple(() =>
        {
            Assert.That(changed.Body, Does.StartWith("shoe+logo-2|"));
            Assert.That(changed.ETag, Is.Not.EqualTo(first.ETag));
            Assert.That(_origin.ConditionalCalls("logo.png"), Is.EqualTo(1), "revalidated, not fetched blindly");
        });
    }

    [Test]
    public async Task An_unchanged_watermark_keeps_the_variant_after_revalidation()
    {
        var first = await GetAsync("w=100&mark=/logo.png");
        _clock.Advance(TimeSpan.FromSeconds(MaxAgeSeconds + 61));
        var again = await GetAsync("w=100&mark=/logo.png");
        Assert.That((again.ETag, _renders), Is.EqualTo((first.ETag, 1)));
        Assert.That(_origin.ConditionalCalls("logo.png"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_failing_watermark_origin_keeps_the_known_version_within_stale_if_error()
    {
        var first = await GetAsync("w=100&mark=/logo.png");
        _clock.Advance(TimeSpan.FromSeconds(MaxAgeSeconds + 61));
        _origin.Failure = new OriginUnavailableException("down");
        var during = await GetAsync("w=100&mark=/logo.png");
        Assert.That(during.Body, Is.EqualTo(first.Body));

        // Past max-age + stale-if-error (a day) the failure is the answer.
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.ThrowsAsync<OriginUnavailableException>(() => GetAsync("w=100&mark=/logo.png"));
    }

    [Test]
    public async Task The_watermark_is_part_of_the_key()
    {
        _origin.Put("other.png", "other", "\"o1\"");
        var a = await GetAsync("w=100&mark=/logo.png");
        var b = await GetAsync("w=100&mark=/other.png");
        var none = await GetAsync("w=100");
        Assert.That(new[] { a.ETag, b.ETag, none.ETag }, Is.Unique);
        Assert.That(b.Body, Does.StartWith("shoe+other|"));
    }

    [Test]
    public void A_missing_watermark_is_a_422_naming_mark()
    {
        var error = Assert.ThrowsAsync<ImagingException>(() => GetAsync("w=100&mark=/gone.png"))!.Error;
        Assert.That((error.Status, error.Message), Is.EqualTo((422, "mark: the image was not found")));
    }

    [Test]
    public void A_url_on_a_host_the_source_does_not_list_is_a_403_naming_the_parameter()
    {
        var error = Assert.ThrowsAsync<ImagingException>(() => GetAsync("w=100&blend=https://evil.example/t.png"))!.Error;
        Assert.That(error.Status, Is.EqualTo(403));
        Assert.That(error.Message, Does.Contain("'blend'").And.Contain("evil.example"));
        Assert.That(_renders, Is.Zero);
    }

    /// <summary>Objects by key, each with an ETag; counts calls (and conditional calls) per key.</summary>
    private sealed class ObjectsOrigin : IOrigin
    {
        private readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> _objects = new();
        private readonly ConcurrentDictionary<string, int> _calls = new();
        private readonly ConcurrentDictionary<string, int> _conditional = new();

        public TimeSpan Delay { get; set; }

        /// <summary>When set, every fetch throws it (an origin outage).</summary>
        public Exception? Failure { get; set; }

        public void Put(string key, string text, string etag) => _objects[key] = (Encoding.UTF8.GetBytes(text), etag);

        public int Calls(string key) => _calls.GetValueOrDefault(key);

        public int ConditionalCalls(string key) => _conditional.GetValueOrDefault(key);

        public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(objectKey, 1, (_, n) => n + 1);
            if (validators.IfNoneMatch is not null)
            {
                _conditional.AddOrUpdate(objectKey, 1, (_, n) => n + 1);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            if (!_objects.TryGetValue(objectKey, out var found))
            {
                return OriginResult.NotFound;
            }

            return validators.IfNoneMatch == found.ETag
                ? OriginResult.NotModified(found.ETag, null)
                : OriginResult.Ok(found.Bytes, found.ETag, null, "image/png");
        }
    }
}
