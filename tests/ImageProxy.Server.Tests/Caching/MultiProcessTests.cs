using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageProxy.Server.Caching;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>
/// Real server processes (the built ImageProxy.Server.dll), not in-process hosts: two nodes sharing Redis, and a
/// node killed with SIGKILL in the middle of writing its disk cache.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class MultiProcessTests
{
    /// <summary>
    /// These tests check coalescing, not Redis timeouts: on a loaded machine a 250 ms client-side stall would count as
    /// a Redis failure, and a lock call that times out renders locally by design (docs/caching.md). A slow Redis is
    /// covered by RedisConnectionTests.AStalledRedisNeverFailsARequest.
    /// </summary>
    private static readonly string[] PatientRedis = ["--ImageProxy:ResultCache:RedisTimeoutMilliseconds", "2000"];

    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task TwoNodesSharingRedisFetchAndRenderOnceAndAPurgeOnOneClearsTheOther()
    {
        var redis = TestRedis.RequireEndpoint();
        var fetches = new Dictionary<string, int>();
        await using var origin = await StartOriginAsync(fetches, TimeSpan.FromMilliseconds(300));
        var sources = WriteSources($$$"""
            {"name":"web","pathPrefix":"/web","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{origin.Urls.First()}}}/media/"}}
            """);
        // Own key prefix, so this test never meets another test's keys in the shared Redis.
        var prefix = TestRedis.UniquePrefix();
        string[] Node(string cacheDir) =>
        [
            "--sources", sources, "--cache-dir", cacheDir, "--redis", redis, "--ImageProxy:RedisKeyPrefix", prefix,
            .. PatientRedis,
        ];
        // The admin token through the environment: the command line refuses it (visible in ps).
        var environment = new Dictionary<string, string> { ["ImageProxy__AdminToken"] = ServerProcess.AdminToken };
        var dirA = Path.Combine(_dir.Path, "a");
        var dirB = Path.Combine(_dir.Path, "b");
        using var a = await ServerProcess.StartAsync(environment, Node(dirA));
        using var b = await ServerProcess.StartAsync(environment, Node(dirB));
        await WaitUntilBothUseRedisAsync(a, b);
        var rendersBefore = await a.RendersAsync() + await b.RendersAsync();

        const string url = "/web/pic.png?w=64&fm=png";
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? a : b).Client.GetAsync(url);
            return (response.StatusCode, ETag: response.Headers.ETag?.Tag, Body: await response.Content.ReadAsByteArrayAsync());
        }));
        var renders = await a.RendersAsync() + await b.RendersAsync() - rendersBefore;

        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(Fetches(fetches, "pic.png"), Is.EqualTo(1), "one origin fetch for both nodes");
            Assert.That(renders, Is.EqualTo(1), "one render for both nodes");
            Assert.That(responses.Select(r => r.ETag).Distinct().Count(), Is.EqualTo(1));
            Assert.That(responses.Select(r => Convert.ToHexString(r.Body)).Distinct().Count(), Is.EqualTo(1));
            Assert.That(TestImages.Dimensions(responses[0].Body), Is.EqualTo((64, 32)));
        });

        // B holds the variant (disk and memory); the purge goes to A and must reach B over pub/sub.
        using (var onB = await b.Client.GetAsync(url))
        {
            Assert.That(Header(onB, "X-Cache"), Does.StartWith("HIT"));
        }

        var bObjects = ObjectDirectories(dirB);
        using var purge = new HttpRequestMessage(HttpMethod.Post, "/_imageproxy/purge")
        {
            Content = new StringContent("""{"paths":["/web/pic.png"]}""", Encoding.UTF8, "application/json"),
        };
        purge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AdminToken);
        using var purged = await a.Client.SendAsync(purge);
        Assert.That(purged.StatusCode, Is.EqualTo(HttpStatusCode.OK), await purged.Content.ReadAsStringAsync());
        await Eventually.That(() => ObjectDirectories(dirB).Count == bObjects.Count - 1, "B's disk drops the purged object");

        using var afterPurge = await b.Client.GetAsync(url);
        Assert.Multiple(() =>
        {
            Assert.That(Header(afterPurge, "X-Cache"), Is.EqualTo("MISS"), "neither B's memory nor its disk kept the variant");
            Assert.That(Fetches(fetches, "pic.png"), Is.EqualTo(2), "the purged record is gone too, so the origin is asked again");
        });
    }

    /// <summary>
    /// The case that once fetched twice (1 run in 6): 20 requests for a new object spread over two processes. Repeated
    /// over fresh objects, with arrivals spread over the origin's delay so that some callers read the cache just as
    /// the first render finishes; then a new variant of each (now known) object the same way.
    /// </summary>
    [Test]
    public async Task TwentyRequestsOverTwoNodesFetchOnceEveryTime()
    {
        var redis = TestRedis.RequireEndpoint();
        var fetches = new Dictionary<string, int>();
        await using var origin = await StartOriginAsync(fetches, TimeSpan.FromMilliseconds(150));
        var sources = WriteSources($$$"""
            {"name":"web","pathPrefix":"/web","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{origin.Urls.First()}}}/media/"}}
            """);
        var prefix = TestRedis.UniquePrefix();
        string[] Node(string cacheDir) =>
            ["--sources", sources, "--cache-dir", cacheDir, "--redis", redis, "--ImageProxy:RedisKeyPrefix", prefix, .. PatientRedis];
        using var a = await ServerProcess.StartAsync(Node(Path.Combine(_dir.Path, "a")));
        using var b = await ServerProcess.StartAsync(Node(Path.Combine(_dir.Path, "b")));
        await WaitUntilBothUseRedisAsync(a, b);

        const int rounds = 12;
        var rendersBefore = await a.RendersAsync() + await b.RendersAsync();
        var failures = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var name = $"round-{round}.png";
            foreach (var width in new[] { 64, 32 })
            {
                var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(i * 12));
                    using var response = await (i % 2 == 0 ? a : b).Client.GetAsync($"/web/{name}?w={width}&fm=png");
                    return response.StatusCode;
                }));
                if (statuses.Any(s => s != HttpStatusCode.OK))
                {
                    failures.Add($"{name} w={width}: {string.Join(",", statuses.Distinct())}");
                }
            }

            if (Fetches(fetches, name) != 1)
            {
                failures.Add($"{name}: {Fetches(fetches, name)} origin fetches");
            }
        }

        var renders = await a.RendersAsync() + await b.RendersAsync() - rendersBefore;
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            Assert.That(renders, Is.EqualTo(2 * rounds), "one render per variant for both nodes");
        });
    }

    [Test]
    public async Task AfterAKillDuringWritesTheRestartedNodeServesNoCorruptEntryAndCleansLeftovers()
    {
        var images = Path.Combine(_dir.Path, "images");
        Directory.CreateDirectory(images);
        await File.WriteAllBytesAsync(Path.Combine(images, "pic.png"), TestImages.Png(600, 400));
        var sources = WriteSources($$$"""
            {"name":"samples","pathPrefix":"/samples","kind":"folder","folder":{"root":"{{{images}}}"}}
            """);
        var cacheDir = Path.Combine(_dir.Path, "cache");
        var urls = Enumerable.Range(0, 150).Select(i => $"/samples/pic.png?w={40 + i}&fm=png").ToArray();

        var first = await ServerProcess.StartAsync("--sources", sources, "--cache-dir", cacheDir);
        var deadPid = first.Id;
        var completed = 0;
        using var stopLoad = new CancellationTokenSource();
        var load = Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stopLoad.Token }, async (url, token) =>
        {
            try
            {
                using var response = await first.Client.GetAsync(url, token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref completed);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // The server is gone mid-request: expected once it is killed.
            }
        });
        await Eventually.That(() => Volatile.Read(ref completed) >= 20, "the first node renders some entries", TimeSpan.FromSeconds(60));
        first.KillHard();
        await stopLoad.CancelAsync();
        try
        {
            await load;
        }
        catch (OperationCanceledException)
        {
        }

        first.Dispose();
        // What a crash mid-write leaves: a temp file of the dead writer (the kill may or may not have left a real one).
        var leftover = Path.Combine(cacheDir, "tmp", $"{deadPid}-{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(leftover, new byte[1234]);
        var entriesAfterKill = Directory.GetFiles(Path.Combine(cacheDir, "v1"), "*.entry", SearchOption.AllDirectories).Length;

        using var restarted = await ServerProcess.StartAsync("--sources", sources, "--cache-dir", cacheDir);
        using var fresh = await ServerProcess.StartAsync("--sources", sources, "--no-result-cache");
        await Eventually.That(() => Directory.GetFiles(Path.Combine(cacheDir, "tmp")).All(f => !Path.GetFileName(f).StartsWith($"{deadPid}-", StringComparison.Ordinal)),
            "the start-up sweep removes the dead writer's temp files");

        // Every entry the killed process left under a real name is whole: header, key, length and SHA-256.
        foreach (var file in Directory.GetFiles(Path.Combine(cacheDir, "v1"), "*.entry", SearchOption.AllDirectories))
        {
            var decoded = CacheEntryCodec.Decode(await File.ReadAllBytesAsync(file), Path.GetFileNameWithoutExtension(file), out var failure);
            Assert.That(decoded, Is.Not.Null, $"{file}: {failure}");
        }

        var hits = 0;
        foreach (var url in urls)
        {
            using var served = await restarted.Client.GetAsync(url);
            using var rendered = await fresh.Client.GetAsync(url);
            var body = await served.Content.ReadAsByteArrayAsync();
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
            Assert.That(body, Is.EqualTo(await rendered.Content.ReadAsByteArrayAsync()), $"{url} ({Header(served, "X-Cache")}) equals a fresh render");
            if (Header(served, "X-Cache") == "HIT-DISK")
            {
                hits++;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(entriesAfterKill, Is.GreaterThan(0), "the killed node had written entries");
            Assert.That(hits, Is.GreaterThan(0), "the restarted node served entries written before the kill");
            Assert.That(File.Exists(leftover), Is.False);
        });
    }

    private string WriteSources(string source)
    {
        var path = Path.Combine(_dir.Path, $"sources-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$$"""{"sources":[{{{source}}}]}""");
        return path;
    }

    private static async Task<WebApplication> StartOriginAsync(Dictionary<string, int> fetches, TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var origin = builder.Build();
        var png = TestImages.Png(128, 64);
        origin.MapGet("/media/{name}", async (string name) =>
        {
            lock (fetches)
            {
                fetches[name] = fetches.GetValueOrDefault(name) + 1;
            }

            // Slow enough that all parallel requests arrive while the first fetch is still running.
            await Task.Delay(delay);
            return Results.Bytes(png, "image/png", lastModified: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        });
        await origin.StartAsync();
        return origin;
    }

    private static int Fetches(Dictionary<string, int> fetches, string name)
    {
        lock (fetches)
        {
            return fetches.GetValueOrDefault(name);
        }
    }

    /// <summary>Both nodes connect to Redis in the background: wait until a variant made on A is a Redis hit on B.</summary>
    private static async Task WaitUntilBothUseRedisAsync(ServerProcess a, ServerProcess b)
    {
        var attempt = 0;
        await Eventually.That(async () =>
        {
            // A new variant each time: one that missed Redis is on B's disk by now and would never be a Redis hit.
            var url = $"/web/warm.png?w={10 + attempt++}&fm=png";
            (await a.Client.GetAsync(url)).Dispose();
            using var onB = await b.Client.GetAsync(url);
            return Header(onB, "X-Cache") == "HIT-REDIS";
        }, "the two nodes share an entry through Redis", TimeSpan.FromSeconds(30), () => $"A:\n{a.Output}\nB:\n{b.Output}");
    }

    private static List<string> ObjectDirectories(string cacheDir) =>
        Directory.Exists(Path.Combine(cacheDir, "v1"))
            ? Directory.GetDirectories(Path.Combine(cacheDir, "v1"), "*", SearchOption.AllDirectories)
                .Where(d => Directory.EnumerateFiles(d, "*.entry").Any()).ToList()
            : [];

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
