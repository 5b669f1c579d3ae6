using System.Diagnostics;
using System.Net;
using ImageProxy.Server.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Cluster;

/// <summary>
/// Three real server processes (the built ImageProxy.Server.dll) configured as one cluster, a counting web origin,
/// requests spread round-robin: each variant is rendered once in the cluster, hops are authenticated and never
/// chained, and a killed node costs no failed request.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class ClusterTests
{
    private const string Token = "cluster-test-token";
    private static readonly (int Width, int Height)[] Originals = [(160, 80), (120, 90), (200, 100), (90, 90)];
    private static readonly int[] Widths = [16, 24, 32, 40, 48, 56];

    private TempDirectory _dir = null!;
    private readonly Dictionary<string, int> _fetches = [];
    private WebApplication _origin = null!;
    private string _sources = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        _fetches.Clear();
        _origin = await StartOriginAsync();
        _sources = Path.Combine(_dir.Path, "sources.json");
        await File.WriteAllTextAsync(_sources, $$$"""
            {"sources":[{"name":"web","pathPrefix":"/web","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{_origin.Urls.First()}}}/media/"}},
                        {"name":"signed","pathPrefix":"/signed","kind":"web","allowPrivateAddresses":true,"secureTokens":["sig"],"web":{"baseUrl":"{{{_origin.Urls.First()}}}/media/"}}]}
            """);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _origin.DisposeAsync();
        _dir.Dispose();
    }

    private static IEnumerable<string> Variants() =>
        from i in Enumerable.Range(0, Originals.Length) from w in Widths select $"/web/o{i}.png?w={w}&fm=png";

    [TestCase(false)]
    [TestCase(true)]
    public async Task Requests_spread_round_robin_render_each_variant_once(bool withRedis)
    {
        var redis = withRedis ? TestRedis.RequireEndpoint() : null;
        using var nodes = await StartClusterAsync(3, redis);
        if (redis is not null)
        {
            await WaitUntilAllUseRedisAsync(nodes);
        }

        var rendersBefore = await nodes.TotalRendersAsync();
        var fetchesBefore = OriginalFetches();
        var variants = Variants().ToArray();

        // Every variant asked of every node, one after the other, round-robin: 3 × 24 requests.
        var served = new List<(string Url, HttpStatusCode Status, string? Cache, (int, int)? Size)>();
        var turn = 0;
        foreach (var pass in Enumerable.Range(0, 3))
        {
            foreach (var url in variants)
            {
                using var response = await nodes[turn++ % 3].Client.GetAsync(url);
                served.Add((url, response.StatusCode, Header(response, "X-Cache"), TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync())));
            }
        }

        var renders = await nodes.TotalRendersAsync() - rendersBefore;
        var fetches = OriginalFetches() - fetchesBefore;
        var perNode = await Task.WhenAll(nodes.Select(n => n.RendersAsync()));
        Assert.Multiple(() =>
        {
            Assert.That(served.Select(s => s.Status), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(served.All(s => s.Size?.Item1 == int.Parse(s.Url[(s.Url.IndexOf("w=", StringComparison.Ordinal) + 2)..s.Url.IndexOf('&')])), Is.True, "each answer has its variant's width");
            Assert.That(renders, Is.EqualTo(variants.Length), "renders = distinct variants");
            Assert.That(served.Skip(variants.Length).Select(s => s.Cache), Has.All.StartWith("HIT"), "the 2nd and 3rd pass are hits, wherever they land");
            Assert.That(perNode, Has.All.GreaterThan(0), "every node owns some variants");
            if (withRedis)
            {
                Assert.That(fetches, Is.EqualTo(Originals.Length), "origin fetches = distinct originals (the original is shared through Redis)");
            }
            else
            {
                // Without Redis an original is fetched once by each node that owns one of its variants.
                Assert.That(fetches, Is.InRange(Originals.Length, Originals.Length * 3));
            }
        });
        TestContext.Out.WriteLine($"redis={withRedis}: {renders} renders for {variants.Length} variants, per node {string.Join('/', perNode)}; {fetches} origin fetches for {Originals.Length} originals");
    }

    [Test]
    public async Task A_burst_for_one_variant_on_all_nodes_renders_once_without_Redis()
    {
        using var nodes = await StartClusterAsync(3, redis: null);
        var before = await nodes.TotalRendersAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 18).Select(async i =>
        {
            using var response = await nodes[i % 3].Client.GetAsync("/web/o1.png?w=33&fm=png");
            return (response.StatusCode, Body: await response.Content.ReadAsByteArrayAsync());
        }));

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(answers.Select(a => Convert.ToHexString(a.Body)).Distinct().Count(), Is.EqualTo(1));
            Assert.That(await nodes.TotalRendersAsync() - before, Is.EqualTo(1));
            Assert.That(OriginalFetches(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_hop_with_the_cluster_token_is_served_where_it_lands_and_a_forged_one_is_not_trusted()
    {
        using var nodes = await StartClusterAsync(3, redis: null);
        var before = await nodes.TotalRendersAsync();

        async Task<HttpStatusCode> GetAsync(ServerProcess node, string url, string hop)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add(ClusterForwarder.HopHeader, hop);
            using var response = await node.Client.SendAsync(request);
            return response.StatusCode;
        }

        // A forged header: every node still forwards to the one owner, so one render for three requests.
        var forged = await Task.WhenAll(nodes.Select(n => GetAsync(n, "/web/o2.png?w=21&fm=png", "not-the-token")));
        var afterForged = await nodes.TotalRendersAsync();
        // The real token: this is a hop already, so each node renders it itself and forwards nothing further.
        foreach (var node in nodes)
        {
            Assert.That(await GetAsync(node, "/web/o2.png?w=22&fm=png", Token), Is.EqualTo(HttpStatusCode.OK));
        }

        var afterHops = await nodes.TotalRendersAsync();
        Assert.Multiple(() =>
        {
            Assert.That(forged, Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(afterForged - before, Is.EqualTo(1), "a forged hop header is ignored");
            Assert.That(afterHops - afterForged, Is.EqualTo(3), "an authenticated hop is never forwarded again");
        });
    }

    [Test]
    public async Task A_signed_url_with_escaped_characters_survives_the_hop()
    {
        using var nodes = await StartClusterAsync(3, redis: null);
        var url = ImgixSigner.Sign("sig", "/signed/o%203.png", "w=30&fm=png");
        var statuses = new List<HttpStatusCode>();
        foreach (var node in nodes)
        {
            using var response = await node.Client.GetAsync(url);
            statuses.Add(response.StatusCode);
        }

        var signature = url[(url.LastIndexOf("s=", StringComparison.Ordinal) + 2)..];
        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK), "the owner verified the same signature");
            Assert.That(await nodes.TotalRendersAsync(), Is.EqualTo(1));
            // The forwarder's own request logging would print the target URL, signature included.
            Assert.That(nodes.Select(n => n.Output), Has.None.Contains(signature));
        });
    }

    [Test]
    public async Task A_killed_node_costs_no_failed_request()
    {
        using var nodes = await StartClusterAsync(3, redis: null);
        var variants = Variants().ToArray();
        foreach (var (url, i) in variants.Select((u, i) => (u, i)))
        {
            (await nodes[i % 3].Client.GetAsync(url)).Dispose();
        }

        var survivorsBefore = await nodes[0].RendersAsync() + await nodes[1].RendersAsync();
        nodes[2].KillHard();

        // The survivors now take every request, round-robin; the dead node's variants must come from somewhere.
        var statuses = new List<HttpStatusCode>();
        var slowest = TimeSpan.Zero;
        foreach (var (url, i) in variants.Select((u, i) => (u, i)))
        {
            var clock = Stopwatch.StartNew();
            using var response = await nodes[i % 2].Client.GetAsync(url);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            statuses.Add(response.StatusCode);
            Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync()), Is.Not.Null, url);
        }

        var rerendered = await nodes[0].RendersAsync() + await nodes[1].RendersAsync() - survivorsBefore;
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));
            // The dead node's share is rendered again (its disk is gone with it), plus at most one extra per survivor:
            // the request that found the owner dead renders where it is; later ones go to the new owner.
            Assert.That(rerendered, Is.InRange(1, variants.Length / 3 + 8));
        });
        TestContext.Out.WriteLine($"after the kill: {rerendered} re-renders of {variants.Length} variants; slowest request {slowest.TotalMilliseconds:0} ms");
    }

    [Test]
    public void A_cluster_without_a_token_refuses_to_start()
    {
        var port = ServerProcess.FreePort();
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(port,
            "--sources", _sources, "--cache-dir", Path.Combine(_dir.Path, "x"),
            "--cluster-self", $"http://127.0.0.1:{port}", "--cluster-peers", $"http://127.0.0.1:{port},http://127.0.0.1:1"));
        Assert.That(ex!.Message, Does.Contain("ImageProxy:Cluster:Token is required"));
    }

    private async Task<Cluster> StartClusterAsync(int count, string? redis)
    {
        var ports = Enumerable.Range(0, count).Select(_ => ServerProcess.FreePort()).ToArray();
        var peers = string.Join(',', ports.Select(p => $"http://127.0.0.1:{p}"));
        var prefix = TestRedis.UniquePrefix();
        var cluster = new Cluster();
        try
        {
            foreach (var port in ports)
            {
                List<string> args =
                [
                    "--sources", _sources, "--cache-dir", Path.Combine(_dir.Path, $"cache-{port}"),
                    "--cluster-self", $"http://127.0.0.1:{port}", "--cluster-peers", peers, "--ImageProxy:Cluster:Token", Token,
                ];
                if (redis is not null)
                {
                    args.AddRange(["--redis", redis, "--ImageProxy:RedisKeyPrefix", prefix]);
                }

                cluster.Add(await ServerProcess.StartAsync(port, [.. args]));
            }
        }
        catch
        {
            cluster.Dispose();
            throw;
        }

        return cluster;
    }

    /// <summary>Redis connects in the background: wait until a variant rendered on one node is a Redis hit on the others.</summary>
    private static async Task WaitUntilAllUseRedisAsync(Cluster nodes)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var url = $"/web/warm.png?w={10 + attempt}&fm=png";
            // Hops (with the token), so each request is served where it is sent.
            (await HopAsync(nodes[0], url)).Dispose();
            var tiers = new List<string?>();
            foreach (var node in nodes.Skip(1))
            {
                using var response = await HopAsync(node, url);
                tiers.Add(Header(response, "X-Cache"));
            }

            if (tiers.All(t => t == "HIT-REDIS"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the nodes never shared an entry through Redis");
    }

    private static Task<HttpResponseMessage> HopAsync(ServerProcess node, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(ClusterForwarder.HopHeader, Token);
        return node.Client.SendAsync(request);
    }

    private int OriginalFetches()
    {
        lock (_fetches)
        {
            return _fetches.Where(f => f.Key.StartsWith('o')).Sum(f => f.Value);
        }
    }

    private async Task<WebApplication> StartOriginAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var origin = builder.Build();
        var images = Originals.Select(o => TestImages.Png(o.Width, o.Height)).ToArray();
        origin.MapGet("/media/{name}", async (string name) =>
        {
            lock (_fetches)
            {
                _fetches[name] = _fetches.GetValueOrDefault(name) + 1;
            }

            await Task.Delay(20);
            var index = name.StartsWith('o') ? int.Parse(name[1..name.IndexOf('.')]) : 0;
            return Results.Bytes(images[index], "image/png", lastModified: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        });
        await origin.StartAsync();
        return origin;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class Cluster : List<ServerProcess>, IDisposable
    {
        public async Task<long> TotalRendersAsync()
        {
            long total = 0;
            foreach (var node in this.Where(n => !n.HasExited))
            {
                total += await node.RendersAsync();
            }

            return total;
        }

        public void Dispose()
        {
            foreach (var node in this)
            {
                node.Dispose();
            }
        }
    }
}
