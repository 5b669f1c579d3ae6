using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using ImageProxy.Server.Caching;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>
/// The response memo in the real server (real libvips, disk cache, manual clock): a repeat is answered by it with
/// exactly the long way's headers and bytes, and it steps aside whenever the long way would answer differently:
/// another Accept class, max-age passed, an expiring URL, a purge, a sources reload, a damaged cache file.
/// Which path answered is read from the server's own log (event MemoServed), not guessed from timings.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class ResponseMemoTests
{
    private const string AdminToken = "admin-secret";
    private static readonly TimeSpan ReloadBudget = TimeSpan.FromSeconds(10);
    private ProxyApplication _app = null!;
    private WebApplicationFactory<Program> _server = null!;
    private HttpClient _client = null!;
    private CapturingLoggerProvider _logs = null!;
    private FakeTimeProvider _clock = null!;

    private void Start(params (string Key, string Value)[] settings)
    {
        _app = new ProxyApplication();
        _logs = new CapturingLoggerProvider();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        _server = _app.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ImageProxy:CacheDir", CacheDir);
            builder.UseSetting("ImageProxy:AdminToken", AdminToken);
            builder.UseSetting("Logging:LogLevel:ImageProxy.Server.Http.ResponseMemo", "Debug");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(_clock);
                services.AddLogging(logging => logging.AddProvider(_logs));
            });
        });
        _client = _server.CreateClient();
    }

    private string CacheDir => Path.Combine(_app.Directory, "cache");

    [TearDown]
    public void Stop()
    {
        _client?.Dispose();
        _server?.Dispose();
        _app?.Dispose();
    }

    [Test]
    public async Task ARepeatIsAnsweredFromTheMemoWithTheLongWaysHeadersAndBytes()
    {
        Start();
        const string url = "/samples/pic.png?w=50&fm=webp&dl=shoe%20picture.webp";
        using var first = await _client.GetAsync(url);
        using var second = await _client.GetAsync(url);
        using var third = await _client.GetAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(MemoAnswers, Is.EqualTo(2), "the second and third request");
            Assert.That(Header(first, "X-Cache"), Is.EqualTo("MISS"));
            Assert.That(Header(third, "X-Cache"), Is.EqualTo("HIT-MEMORY"));
            Assert.That(HeadersOf(third), Is.EqualTo(HeadersOf(first)), "every header but Date, X-Cache and Server-Timing");
            Assert.That(await third.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
        });
    }

    [Test]
    public async Task HeadAndIfNoneMatchAreAnsweredFromTheMemoToo()
    {
        Start();
        const string url = "/samples/pic.png?w=60";
        using var first = await _client.GetAsync(url);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _client.SendAsync(conditional);
        using var otherTag = new HttpRequestMessage(HttpMethod.Get, url);
        otherTag.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var full = await _client.SendAsync(otherTag);

        Assert.Multiple(async () =>
        {
            Assert.That(MemoAnswers, Is.EqualTo(3));
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(first.Content.Headers.ContentLength));
            Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty);
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(notModified.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(Header(notModified, "Cache-Control"), Is.EqualTo(Header(first, "Cache-Control")));
            Assert.That(notModified.Content.Headers.ContentType, Is.Null, "a 304 repeats validators, not content headers");
            Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await full.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
        });
    }

    [Test]
    public async Task AutoFormatIsRememberedPerAcceptClassNotPerHeaderText()
    {
        Start();
        const string url = "/samples/pic.png?w=40&auto=format";
        using var avif = await Get(url, "image/avif,image/webp,*/*");
        using var webp = await Get(url, "image/webp,*/*");
        using var plain = await Get(url, "*/*");
        using var avifAgain = await Get(url, "image/avif;q=0.9, image/webp, image/png");
        using var webpAgain = await Get(url, "image/webp");

        Assert.Multiple(() =>
        {
            Assert.That(avif.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/avif"));
            Assert.That(webp.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/webp"));
            Assert.That(plain.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(avifAgain.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/avif"));
            Assert.That(webpAgain.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/webp"));
            Assert.That(Header(avifAgain, "Vary"), Is.EqualTo("Accept"));
            Assert.That(MemoAnswers, Is.EqualTo(2), "the last two, each from its own class");
        });
    }

    [Test]
    public async Task PastMaxAgeTheMemoStepsAsideAndAChangedOriginIsRenderedAgain()
    {
        Start(("ImageProxy:ResultCache:StaleWhileRevalidateSeconds", "0")); // revalidate before answering
        const string url = "/defaults/pic.png?w=40&fm=png"; // the "defaults" source has cacheMaxAge 600
        using var first = await _client.GetAsync(url);
        await File.WriteAllBytesAsync(Path.Combine(_app.Directory, "images", "pic.png"), TestImages.Png(80, 80));
        _clock.Advance(TimeSpan.FromSeconds(599));
        using var stillFresh = await _client.GetAsync(url);
        _clock.Advance(TimeSpan.FromSeconds(2));
        using var revalidated = await _client.GetAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(stillFresh.Headers.ETag, Is.EqualTo(first.Headers.ETag), "within max-age the origin is not asked");
            Assert.That(MemoAnswers, Is.EqualTo(1));
            Assert.That(revalidated.Headers.ETag, Is.Not.EqualTo(first.Headers.ETag), "past max-age the changed original shows");
            Assert.That(Header(revalidated, "X-Cache"), Is.EqualTo("MISS"));
        });
    }

    [Test]
    public async Task WithinStaleWhileRevalidateTheOldImageIsServedForThisRequestOnlyWhileTheNewOneIsMade()
    {
        Start(("ImageProxy:ResultCache:SharedMaxAgeSeconds", "86400"));
        const string url = "/defaults/pic.png?w=40&fm=png"; // cacheMaxAge 600, stale-while-revalidate 60 (default)
        using var first = await _client.GetAsync(url);
        await File.WriteAllBytesAsync(Path.Combine(_app.Directory, "images", "pic.png"), TestImages.Png(80, 80));
        _clock.Advance(TimeSpan.FromSeconds(601));
        using var stale = await _client.GetAsync(url);

        // The revalidation runs behind the stale answer; poll until its result is what a request gets.
        HttpResponseMessage? latest = null;
        await Eventually.That(async () =>
        {
            latest?.Dispose();
            latest = await _client.GetAsync(url);
            return !Equals(latest.Headers.ETag, first.Headers.ETag);
        }, "the background revalidation's image is what a request gets");

        using var revalidated = latest!;
        Assert.Multiple(async () =>
        {
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(stale, "X-Cache"), Is.EqualTo("STALE"));
            Assert.That(stale.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(await stale.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
            Assert.That(Header(stale, "Cache-Control"), Does.StartWith("public, max-age=0").And.Not.Contain("s-maxage"),
                "no cache after us keeps the stale answer");
            Assert.That(Header(first, "Cache-Control"), Does.StartWith("public, max-age=600, s-maxage=86400"));
            Assert.That(revalidated.Headers.ETag, Is.Not.EqualTo(first.Headers.ETag), "the background revalidation finished");
            Assert.That(Header(revalidated, "X-Cache"), Does.StartWith("HIT-"), "rendered in the background, not by this request");
            Assert.That(Header(revalidated, "Cache-Control"), Does.StartWith("public, max-age=600, s-maxage=86400"));
        });
    }

    [Test]
    public async Task AnExpiringUrlIsNeverRememberedSoItTurnsInto410OnTime()
    {
        Start();
        var expires = _clock.GetUtcNow().ToUnixTimeSeconds() + 60;
        var url = $"/samples/pic.png?w=30&expires={expires}";
        using var first = await _client.GetAsync(url);
        using var second = await _client.GetAsync(url);
        _clock.Advance(TimeSpan.FromSeconds(61));
        using var expired = await _client.GetAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That(MemoAnswers, Is.Zero);
        });
    }

    [Test]
    public async Task ARememberedSignedUrlDoesNotOpenTheDoorToOtherSignatures()
    {
        Start();
        var signed = ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/pic.png", "w=30");
        using var first = await _client.GetAsync(signed);
        using var repeat = await _client.GetAsync(signed);
        using var forged = await _client.GetAsync(signed[..^4] + "0000");
        using var unsigned = await _client.GetAsync("/signed/pic.png?w=30");

        Assert.Multiple(() =>
        {
            Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(MemoAnswers, Is.EqualTo(1));
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task AfterAPurgeTheRememberedTargetIsRenderedAgain()
    {
        Start();
        const string url = "/samples/pic.png?w=30";
        using var first = await _client.GetAsync(url);
        using var purge = new HttpRequestMessage(HttpMethod.Post, "/_imageproxy/purge")
        {
            Content = JsonContent("""{"paths":["/samples/pic.png"]}"""),
        };
        purge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var purged = await _client.SendAsync(purge);
        using var after = await _client.GetAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(purged.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(after, "X-Cache"), Is.EqualTo("MISS"));
            Assert.That(MemoAnswers, Is.Zero);
        });
    }

    [Test]
    public async Task ASourcesReloadRetiresWhatWasRememberedUnderTheOldConfiguration()
    {
        Start();
        const string url = "/samples/pic.png?w=30";
        using var first = await _client.GetAsync(url);
        var sources = await File.ReadAllTextAsync(_app.SourcesPath);
        await File.WriteAllTextAsync(_app.SourcesPath, sources.Replace(
            "\"folder\":{\"root\":\"./images\"}},", "\"folder\":{\"root\":\"./images\"},\"cacheMaxAge\":42},"));

        string? cacheControl = null;
        await Eventually.That(async () =>
        {
            using var response = await _client.GetAsync(url);
            cacheControl = Header(response, "Cache-Control");
            return cacheControl?.StartsWith("public, max-age=42") == true;
        }, "the reload reaches the repeated request", ReloadBudget);

        Assert.Multiple(() =>
        {
            Assert.That(Header(first, "Cache-Control"), Does.StartWith("public, max-age=31536000"));
            Assert.That(cacheControl, Does.StartWith("public, max-age=42"), "the reload reached the repeat within the budget");
            Assert.That(MemoAnswers, Is.GreaterThan(0), "the memo was answering before the reload");
        });
    }

    [Test]
    public async Task WithoutTheMemoryTierTheMemoReadsDiskAndNeverServesADamagedFile()
    {
        Start(("ImageProxy:ResultCache:MaxMemoryBytes", "0"));
        const string url = "/samples/pic.png?w=70&fm=png";
        using var first = await _client.GetAsync(url);
        var original = await first.Content.ReadAsByteArrayAsync();
        using var fromDisk = await _client.GetAsync(url);

        // Same length, different bytes, new mtime: the disk tier must notice and re-check the file.
        var entry = Directory.EnumerateFiles(Path.Combine(CacheDir, "v1"), "*.entry", SearchOption.AllDirectories)
            .Single(path => File.ReadAllBytes(path).AsSpan().IndexOf(original) >= 0);
        var damaged = await File.ReadAllBytesAsync(entry);
        damaged[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(entry, damaged);
        File.SetLastWriteTimeUtc(entry, DateTime.UtcNow.AddMinutes(1));
        using var afterDamage = await _client.GetAsync(url);

        Assert.Multiple(async () =>
        {
            Assert.That(Header(fromDisk, "X-Cache"), Is.EqualTo("HIT-DISK"));
            Assert.That(await fromDisk.Content.ReadAsByteArrayAsync(), Is.EqualTo(original));
            Assert.That(Header(afterDamage, "X-Cache"), Is.EqualTo("MISS"), "rendered again, not served");
            Assert.That(await afterDamage.Content.ReadAsByteArrayAsync(), Is.EqualTo(original));
        });
    }

    [Test]
    public async Task RepeatsStillCountAgainstThePerClientRateLimit()
    {
        Start(("ImageProxy:Security:RateLimit:PermitsPerSecond", "1"), ("ImageProxy:Security:RateLimit:Burst", "3"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _client.GetAsync("/samples/pic.png?w=30");
            statuses.Add(response.StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(MemoAnswers, Is.GreaterThan(0), "the memo was answering");
            Assert.That(statuses.Skip(3), Has.Some.EqualTo(HttpStatusCode.TooManyRequests));
        });
    }

    [Test]
    public async Task MemoEntriesZeroSwitchesItOff()
    {
        Start(("ImageProxy:ResultCache:MemoEntries", "0"));
        using var first = await _client.GetAsync("/samples/pic.png?w=30");
        using var second = await _client.GetAsync("/samples/pic.png?w=30");

        Assert.Multiple(() =>
        {
            Assert.That(Header(second, "X-Cache"), Is.EqualTo("HIT-MEMORY"), "still a hit, the long way");
            Assert.That(MemoAnswers, Is.Zero);
        });
    }

    private int MemoAnswers => _logs.Entries.Count(entry => entry.EventId.Name == "MemoServed");

    private async Task<HttpResponseMessage> Get(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await _client.SendAsync(request);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static string[] HeadersOf(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(header => header.Key is not ("Date" or "X-Cache" or "Server-Timing"))
            .Select(header => $"{header.Key}: {string.Join(", ", header.Value)}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
