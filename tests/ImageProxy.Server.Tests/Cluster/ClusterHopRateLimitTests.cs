using System.Net;
using ImageProxy.Server.Cluster;
using Microsoft.AspNetCore.Hosting;

namespace ImageProxy.Server.Tests.Cluster;

/// <summary>
/// Hops arrive from a peer's address, so under the per-client rate limit every client's misses would share the
/// peer's bucket: an authenticated hop is exempt (the client was counted where it first arrived); a forged one is not.
/// </summary>
public sealed class ClusterHopRateLimitTests
{
    private const string Token = "hop-rate-limit-token";

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient client, string? hop)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/samples/pic.png?w={20 + i}");
            if (hop is not null)
            {
                request.Headers.Add(ClusterForwarder.HopHeader, hop);
            }

            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [TestCase(Token, false)]
    [TestCase("forged", true)]
    public async Task Authenticated_hops_skip_the_per_client_limit(string hop, bool limited)
    {
        using var app = new ProxyApplication();
        // A one-node cluster: every key is this node's, so nothing is forwarded and only the hop header matters.
        using var factory = app.WithWebHostBuilder(b => b
            .UseSetting("ImageProxy:Security:RateLimit:PermitsPerSecond", "1")
            .UseSetting("ImageProxy:Security:RateLimit:Burst", "2")
            .UseSetting("ImageProxy:Cluster:Self", "http://127.0.0.1:1")
            .UseSetting("ImageProxy:Cluster:Peers", "http://127.0.0.1:1")
            .UseSetting("ImageProxy:Cluster:Token", Token));
        using var client = factory.CreateClient();

        var statuses = await SendAsync(client, hop);

        Assert.That(statuses.Contains(HttpStatusCode.TooManyRequests), Is.EqualTo(limited), string.Join(",", statuses));
        Assert.That(statuses.Where(s => s != HttpStatusCode.TooManyRequests), Has.All.EqualTo(HttpStatusCode.OK));
    }
}
