using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// Overload behaviour: a full processing gate answers 429 with Retry-After, yet requests that need no render
/// (revalidations answered 304) are still served because the gate is taken only after that check.
/// </summary>
[Category("EndToEnd")]
public sealed class AdmissionControlTests
{
    [Test]
    public async Task A_full_gate_gives_429_with_retry_after_while_revalidations_are_still_served()
    {
        // One slot, no queue; the test holds the slot, so any render has to be refused.
        using var gate = new ProcessingGate(1, 0);
        using var app = new HostileProxy(services: s => s.AddSingleton(gate));
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/img/pic.png?w=10");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var etag = first.Headers.ETag!.Tag;

        using (await gate.EnterAsync(CancellationToken.None))
        {
            using var render = await client.GetAsync("/img/pic.png?w=11");
            Assert.That(render.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(render.Headers.RetryAfter?.Delta, Is.Not.Null);

            using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/img/pic.png?w=10");
            revalidate.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var notModified = await client.SendAsync(revalidate);
            Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));

            using var bad = await client.GetAsync("/img/pic.png?w=nope");
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "bad URLs are refused before the gate too");
        }

        using var after = await client.GetAsync("/img/pic.png?w=11");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the slot came back");
    }

    [Test]
    public async Task Result_cache_hits_are_served_while_the_gate_is_full()
    {
        using var gate = new ProcessingGate(1, 0);
        var cacheDir = Directory.CreateTempSubdirectory("imageproxy-gate-cache-").FullName;
        try
        {
            using var app = new HostileProxy(
                settings: new Dictionary<string, string?> { ["ImageProxy:CacheDir"] = cacheDir },
                services: s => s.AddSingleton(gate));
            using var client = app.CreateClient();

            using var miss = await client.GetAsync("/img/pic.png?w=12");
            Assert.That(miss.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var rendered = await miss.Content.ReadAsByteArrayAsync();

            using (await gate.EnterAsync(CancellationToken.None))
            {
                using var hit = await client.GetAsync("/img/pic.png?w=12");
                using var newVariant = await client.GetAsync("/img/pic.png?w=13");
                Assert.That(hit.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a cached variant needs no render slot");
                Assert.That(await hit.Content.ReadAsByteArrayAsync(), Is.EqualTo(rendered));
                Assert.That(newVariant.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a miss does need one");
            }
        }
        finally
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }

    [Test]
    public async Task The_per_client_rate_limit_answers_429_once_the_burst_is_spent()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ImageProxy:Security:RateLimit:PermitsPerSecond"] = "1",
            ["ImageProxy:Security:RateLimit:Burst"] = "3",
        };
        using var app = new HostileProxy(settings: settings);
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync("/img/missing.png");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            }
        }

        Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.NotFound));
        Assert.That(statuses.Skip(3), Has.Some.EqualTo(HttpStatusCode.TooManyRequests));

        using var health = await client.GetAsync("/_imageproxy/health/live");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "ops endpoints are never throttled");
    }

    [Test]
    public async Task Without_configuration_there_is_no_per_client_limit()
    {
        using var app = new HostileProxy();
        using var client = app.CreateClient();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync("/img/missing.png");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }
}
