using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageProxy.Server.Caching;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>The real server with real libvips and a disk cache: headers, 304s, purge endpoint and the warm command.</summary>
[Category("EndToEnd")]
public sealed class CachingEndToEndTests
{
    private const string AdminToken = "admin-secret";
    private ProxyApplication _app = null!;
    private WebApplicationFactory<Program> _server = null!;
    private HttpClient _client = null!;
    private WebhookCapture _webhook = null!;

    [SetUp]
    public void Start()
    {
        _app = new ProxyApplication();
        _webhook = new WebhookCapture();
        _server = _app.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ImageProxy:CacheDir", Path.Combine(_app.Directory, "cache"));
            builder.UseSetting("ImageProxy:AdminToken", AdminToken);
            builder.UseSetting("ImageProxy:PurgeWebhookUrl", "http://cdn.invalid/purge");
            builder.UseSetting("ImageProxy:ResultCache:SharedMaxAgeSeconds", "86400");
            builder.ConfigureTestServices(services =>
                services.AddHttpClient(AdminPurgeWebhook.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _webhook));
        });
        _client = _server.CreateClient();
    }

    [TearDown]
    public void Stop()
    {
        _client.Dispose();
        _server.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task ASecondRequestIsAMemoryHitWithTheSameETagAndCdnHeaders()
    {
        using var first = await _client.GetAsync("/samples/pic.png?w=50&fm=webp");
        using var second = await _client.GetAsync("/samples/pic.png?fm=webp&w=50");

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(first, "X-Cache"), Is.EqualTo("MISS"));
            Assert.That(Header(second, "X-Cache"), Is.EqualTo("HIT-MEMORY"));
            Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.EqualTo(await first.Content.ReadAsByteArrayAsync()));
            Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/webp"));
            Assert.That(Header(second, "Cache-Control"), Does.Contain("s-maxage=86400").And.Contain("stale-if-error="));
            Assert.That(Header(second, "Surrogate-Key"), Does.StartWith("imageproxy-src-samples imageproxy-obj-"));
            Assert.That(Header(second, "Vary"), Is.Null, "fm was explicit: Accept did not matter");
        });
    }

    [Test]
    public async Task IfNoneMatchIsA304AndAutoFormatVariesOnAccept()
    {
        using var first = await _client.GetAsync("/samples/pic.png?w=40&auto=format");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/samples/pic.png?w=40&auto=format");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await _client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(revalidated.Headers.ETag, Is.EqualTo(first.Headers.ETag));
            Assert.That(Header(first, "Vary"), Is.EqualTo("Accept"));
        });
    }

    [Test]
    public async Task PurgeNeedsTheBearerTokenRemovesEveryVariantAndCallsTheCdn()
    {
        await _client.GetAsync("/samples/pic.png?w=30");
        await _client.GetAsync("/samples/pic.png?w=60");
        await _client.GetAsync("/samples/cat%20and%20dog.png?w=30");

        using var missing = await Purge(null, "/samples/pic.png");
        using var wrong = await Purge("nope", "/samples/pic.png");
        using var purged = await Purge(AdminToken, "/samples/pic.png", "/nosuchsource/x.png");
        var body = await purged.Content.ReadAsStringAsync();
        using var afterA = await _client.GetAsync("/samples/pic.png?w=30");
        using var afterB = await _client.GetAsync("/samples/pic.png?w=60");
        using var untouched = await _client.GetAsync("/samples/cat%20and%20dog.png?w=30");

        Assert.Multiple(() =>
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(purged.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain("\"unknown\":[\"/nosuchsource/x.png\"]").And.Contain("\"cdn\":\"ok\""));
            Assert.That(Header(afterA, "X-Cache"), Is.EqualTo("MISS"));
            Assert.That(Header(afterB, "X-Cache"), Is.EqualTo("MISS"));
            Assert.That(Header(untouched, "X-Cache"), Is.EqualTo("HIT-MEMORY"), "the purge took the other object's entries out of memory only");
            Assert.That(_webhook.Bodies, Has.Count.EqualTo(1));
            Assert.That(_webhook.Bodies[0], Does.Contain("imageproxy-obj-"));
        });
    }

    [Test]
    public async Task WithoutAnAdminTokenThePurgeAndStatsEndpointsDoNotExist()
    {
        using var app = new ProxyApplication();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_imageproxy/purge")
        {
            Content = new StringContent("""{"paths":["/samples/pic.png"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        using var response = await client.SendAsync(request);
        using var statsRequest = new HttpRequestMessage(HttpMethod.Get, "/_imageproxy/stats");
        statsRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        using var stats = await client.SendAsync(statsRequest);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(stats.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task StatsNeedTheBearerTokenAndCountRenders()
    {
        (await _client.GetAsync("/samples/pic.png?w=30")).Dispose();
        (await _client.GetAsync("/samples/pic.png?w=30")).Dispose();

        using var anonymous = await _client.GetAsync("/_imageproxy/stats");
        using var wrong = await Stats("nope");
        using var allowed = await Stats(AdminToken);
        var body = await allowed.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Is.EqualTo("""{"renders":1}"""), "one miss rendered, the repeat was a hit");
        });
    }

    [Test]
    public async Task WarmRendersEachVariantOnceAndReportsHitsOnTheSecondRun()
    {
        var paths = Path.Combine(_app.Directory, "paths.txt");
        await File.WriteAllTextAsync(paths, "/samples/pic.png\n# comment\n/samples/cat%20and%20dog.png\n");
        var options = new WarmOptions("http://localhost", null, paths, [20, 40], ["webp", "png"], null, 3, null);

        var firstOutput = new StringWriter();
        var firstExit = await WarmCommand.RunAsync(options, _client, firstOutput, TextWriter.Null, CancellationToken.None);
        var secondOutput = new StringWriter();
        var secondExit = await WarmCommand.RunAsync(options, _client, secondOutput, TextWriter.Null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(firstExit, Is.Zero);
            Assert.That(firstOutput.ToString(), Does.Contain("8 requests").And.Contain("0 hits, 8 misses (rendered), 0 failures"));
            Assert.That(secondExit, Is.Zero);
            Assert.That(secondOutput.ToString(), Does.Contain("8 hits, 0 misses (rendered), 0 failures"));
        });
    }

    [Test]
    public async Task AfterTheOutputLimitsOrEncoderSettingsChangeTheOldResultIsNotServed()
    {
        // Each call is a fresh process over one cache folder, as an operator's restart with a new setting would be.
        var cacheDir = Path.Combine(_app.Directory, "cache-policy");
        async Task<(string? Cache, (int Width, int Height)? Size, string? ETag)> Fetch(params (string Key, string Value)[] settings)
        {
            using var server = _app.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("ImageProxy:CacheDir", cacheDir);
                foreach (var (key, value) in settings)
                {
                    builder.UseSetting(key, value);
                }
            });
            using var client = server.CreateClient();
            using var response = await client.GetAsync("/samples/pic.png?w=150&fm=png");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return (Header(response, "X-Cache"), TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync()), response.Headers.ETag?.Tag);
        }

        var smallSide = ("ImageProxy:Limits:MaxOutputSide", "100");
        var clamped = await Fetch(smallSide);
        var clampedAgain = await Fetch(smallSide);
        var raised = await Fetch();
        var otherCompression = await Fetch(("ImageProxy:Encoding:PngCompression", "1"));
        var onlyRefusingLimitChanged = await Fetch(("ImageProxy:Limits:MaxSourcePixels", "1000000"));

        Assert.Multiple(() =>
        {
            Assert.That(clamped, Is.EqualTo(("MISS", ((int, int)?)(100, 50), clamped.ETag)), "sized down to MaxOutputSide");
            Assert.That(clampedAgain, Is.EqualTo(("HIT-DISK", ((int, int)?)(100, 50), clamped.ETag)), "same policy: a hit");
            Assert.That(raised.Cache, Is.EqualTo("MISS"), "a raised limit renders anew");
            Assert.That(raised.Size, Is.EqualTo(((int, int)?)(150, 75)));
            Assert.That(raised.ETag, Is.Not.EqualTo(clamped.ETag));
            Assert.That(otherCompression.Cache, Is.EqualTo("MISS"), "another PNG compression level renders anew");
            Assert.That(otherCompression.ETag, Is.Not.EqualTo(raised.ETag));
            Assert.That(onlyRefusingLimitChanged, Is.EqualTo(("HIT-DISK", ((int, int)?)(150, 75), raised.ETag)),
                "a limit that only refuses requests keeps the cached results");
        });
    }

    private async Task<HttpResponseMessage> Stats(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_imageproxy/stats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Purge(string? token, params string[] paths)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_imageproxy/purge")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { paths }), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    /// <summary>Stands in for the CDN's purge API.</summary>
    private sealed class WebhookCapture : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
