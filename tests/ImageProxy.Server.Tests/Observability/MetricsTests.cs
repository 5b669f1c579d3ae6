using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ImageProxy.Server.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>
/// GET /_imageproxy/metrics through the real server (libvips, folder origin, memory and disk tiers): requests, then a
/// scrape, and the counters and labels must have moved exactly as the requests imply.
/// </summary>
[Category("EndToEnd")]
public sealed class MetricsTests
{
    // A source of its own: every host in this process exports meters named "ImageProxy", so labels keep tests apart.
    private const string MeteredSource = """,{"name":"metered","pathPrefix":"/metered","kind":"folder","folder":{"root":"./images"}}""";

    private string _cacheDir = null!;

    [SetUp]
    public void CreateCacheDir() => _cacheDir = Directory.CreateTempSubdirectory("imageproxy-metrics-").FullName;

    [TearDown]
    public void DeleteCacheDir() => Directory.Delete(_cacheDir, recursive: true);

    [Test]
    public async Task A_scrape_counts_misses_hits_404s_and_renders_by_format()
    {
        using var app = new HostileProxy(settings: new Dictionary<string, string?> { ["ImageProxy:CacheDir"] = _cacheDir }, extraSources: MeteredSource);
        using var client = app.CreateClient();
        var before = await PrometheusScrape.FetchAsync(client);

        using (var miss = await client.GetAsync("/metered/pic.png?w=20&fm=webp"))
        using (var hit = await client.GetAsync("/metered/pic.png?w=20&fm=webp"))
        using (var otherVariant = await client.GetAsync("/metered/pic.png?w=21&fm=png"))
        using (var missing = await client.GetAsync("/metered/none.png"))
        {
            Assert.That(
                new[] { miss.StatusCode, hit.StatusCode, otherVariant.StatusCode, missing.StatusCode },
                Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound }));
            Assert.That(hit.Headers.GetValues("X-Cache").Single(), Is.EqualTo("HIT-MEMORY"));
        }

        var after = await PrometheusScrape.FetchAsync(client);
        double Delta(string name, params string[] labels) => after.Value(name, labels) - before.Value(name, labels);

        Assert.Multiple(() =>
        {
            Assert.That(after.Value("imageproxy_requests_total", "source=metered", "status=200", "cache=miss"), Is.EqualTo(2));
            Assert.That(after.Value("imageproxy_requests_total", "source=metered", "status=200", "cache=hit-memory"), Is.EqualTo(1));
            Assert.That(after.Value("imageproxy_requests_total", "source=metered", "status=404", "cache=none"), Is.EqualTo(1));
            Assert.That(Delta("imageproxy_renders_total", "format=webp"), Is.EqualTo(1));
            Assert.That(Delta("imageproxy_renders_total", "format=png"), Is.EqualTo(1));
            Assert.That(Delta("imageproxy_render_seconds_count", "format=webp"), Is.EqualTo(1));
            // The second variant renders from the cached original: two origin calls, the first and the 404.
            Assert.That(after.Value("imageproxy_origin_seconds_count", "source=metered", "kind=folder"), Is.EqualTo(2));
            Assert.That(after.Value("imageproxy_origin_errors_total", "source=metered", "reason=not_found"), Is.EqualTo(1));
            Assert.That(after.Find("imageproxy_queue_depth").Single().Value, Is.Zero);
            Assert.That(after.Value("imageproxy_cache_bytes", "tier=memory"), Is.GreaterThan(0));
            Assert.That(after.Find("imageproxy_cache_bytes", "tier=disk"), Is.Not.Empty);
            Assert.That(after.Find("imageproxy_cache_evictions_total", "tier=memory"), Is.Not.Empty);
            Assert.That(after.Find("imageproxy_rejections_total", "reason=queue_full").Single().Value, Is.Zero);
            Assert.That(after.Has("imageproxy_redis_breaker_open"), Is.False, "no Redis configured, no breaker series");
            // ASP.NET Core's own instrumentation rides the same pipeline.
            Assert.That(after.Has("http_server_request_duration_seconds_count"), Is.True);
        });
    }

    [TestCase("0", "revalidated", "HIT-MEMORY")]
    [TestCase("60", "stale", "STALE")]
    public async Task Past_max_age_a_request_counts_as_revalidated_or_stale(string staleWhileRevalidate, string cacheLabel, string xCache)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ImageProxy:CacheDir"] = _cacheDir,
            ["ImageProxy:ResultCache:StaleWhileRevalidateSeconds"] = staleWhileRevalidate,
        };
        using var app = new HostileProxy(
            settings: settings, extraSources: """,{"name":"brief","pathPrefix":"/brief","kind":"folder","folder":{"root":"./images"},"cacheMaxAge":1}""");
        using var client = app.CreateClient();
        using (var first = await client.GetAsync("/brief/pic.png?w=7"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(1300));
        using var late = await client.GetAsync("/brief/pic.png?w=7");
        var scrape = await PrometheusScrape.FetchAsync(client);

        Assert.Multiple(() =>
        {
            // The origin (a folder, unchanged) answers the conditional request with 304: no new render either way.
            Assert.That(late.Headers.GetValues("X-Cache").Single(), Is.EqualTo(xCache));
            Assert.That(scrape.Value("imageproxy_requests_total", "source=brief", "status=200", "cache=" + cacheLabel), Is.EqualTo(1));
            Assert.That(scrape.Value("imageproxy_requests_total", "source=brief", "cache=miss"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Rejections_are_counted_by_reason()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ImageProxy:Security:RateLimit:PermitsPerSecond"] = "1",
            ["ImageProxy:Security:RateLimit:Burst"] = "1",
        };
        using var app = new HostileProxy(settings: settings, extraSources: MeteredSource);
        using var client = app.CreateClient();
        var before = await PrometheusScrape.FetchAsync(client);

        using var first = await client.GetAsync("/metered/none.png");
        using var second = await client.GetAsync("/metered/none.png");

        var after = await PrometheusScrape.FetchAsync(client);
        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(after.Value("imageproxy_rejections_total", "reason=rate_limit") - before.Value("imageproxy_rejections_total", "reason=rate_limit"), Is.EqualTo(1));
            // Refused before routing: no source is known, and no cache took part.
            Assert.That(after.Value("imageproxy_requests_total", "source=-", "status=429", "cache=none"), Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task The_Redis_breaker_gauge_reads_0_while_Redis_answers_and_1_once_it_is_gone()
    {
        using var redis = PrivateRedisServer.Start();
        var settings = new Dictionary<string, string?>
        {
            ["ImageProxy:CacheDir"] = _cacheDir,
            ["ImageProxy:Redis"] = redis.Endpoint,
            ["ImageProxy:ResultCache:RedisTimeoutMilliseconds"] = "200",
            ["ImageProxy:ResultCache:RedisBreakerSeconds"] = "60",
        };
        using var app = new HostileProxy(settings: settings, extraSources: MeteredSource);
        using var client = app.CreateClient();
        Assert.That(await app.Services.GetRequiredService<RedisConnection>().WaitConnectedAsync(TimeSpan.FromSeconds(10)), Is.True);
        using (var first = await client.GetAsync("/metered/pic.png?w=5"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var healthy = await PrometheusScrape.FetchAsync(client);
        redis.Kill();
        for (var width = 6; width < 12; width++)
        {
            using var duringOutage = await client.GetAsync($"/metered/pic.png?w={width}");
            Assert.That(duringOutage.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Redis down never fails a request");
        }

        var broken = await PrometheusScrape.FetchAsync(client);
        Assert.Multiple(() =>
        {
            Assert.That(healthy.Find("imageproxy_redis_breaker_open").Single().Value, Is.Zero);
            Assert.That(broken.Find("imageproxy_redis_breaker_open").Single().Value, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task With_MetricsUrl_the_scrape_answers_only_on_that_port()
    {
        var (publicPort, metricsPort) = (FreePort(), FreePort());
        var directory = Directory.CreateTempSubdirectory("imageproxy-metrics-port-").FullName;
        File.WriteAllBytes(Path.Combine(directory, "pic.png"), TestImages.Png(16, 16));
        var sources = Path.Combine(directory, "sources.json");
        File.WriteAllText(sources, """{"sources":[{"name":"img","pathPrefix":"/img","kind":"folder","folder":{"root":"."}}]}""");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ImageProxy.Server.dll"));
        start.ArgumentList.Add("--sources");
        start.ArgumentList.Add(sources);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort}";
        start.Environment["ImageProxy__Telemetry__MetricsUrl"] = $"http://127.0.0.1:{metricsPort}";
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var scrape = await WaitForAsync(() => client.GetAsync($"http://127.0.0.1:{metricsPort}/_imageproxy/metrics"));
            using var image = await client.GetAsync($"http://127.0.0.1:{publicPort}/img/pic.png?w=8");
            using var onPublicPort = await client.GetAsync($"http://127.0.0.1:{publicPort}/_imageproxy/metrics");
            using var second = await client.GetAsync($"http://127.0.0.1:{metricsPort}/_imageproxy/metrics");
            var text = await second.Content.ReadAsStringAsync();

            Assert.Multiple(() =>
            {
                Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(onPublicPort.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(PrometheusScrape.Parse(text).Value("imageproxy_requests_total", "source=img", "status=200", "cache=none"), Is.EqualTo(1));
            });
            scrape.Dispose();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> WaitForAsync(Func<Task<HttpResponseMessage>> request)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await request();
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
