using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// A short, bounded version of tests/load/hostile-load.sh inside the suite: 16 concurrent clients for a fixed number
/// of requests mixing revalidation hits, render misses, bad URLs and bad images, through a small gate so admission
/// control is exercised too. Expected: no 5xx at all, only the statuses each kind of request should get, and a
/// healthy server afterwards.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class MixedLoadTests
{
    [Test]
    public async Task Mixed_hostile_traffic_gives_no_server_errors()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ImageProxy:MaxConcurrentRenders"] = "2",
            ["ImageProxy:MaxQueuedRenders"] = "4",
        };
        using var app = new HostileProxy(
            populate: images =>
            {
                File.WriteAllBytes(Path.Combine(images, "photo.png"), TestImages.Png(640, 480));
                File.WriteAllBytes(Path.Combine(images, "bomb.png"), MalformedImages.PngBomb(60000, 60000));
                File.WriteAllBytes(Path.Combine(images, "truncated.png"), MalformedImages.Truncate(TestImages.Png(640, 480), 0.5));
                File.WriteAllBytes(Path.Combine(images, "random.jpg"), MalformedImages.RandomBytes(4000, 9));
            },
            settings: settings);
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/img/photo.png?w=100");
        var etag = first.Headers.ETag!.Tag;

        // path → statuses it may legitimately get (429 wherever a render is needed: the gate is small on purpose).
        var mix = new (Func<int, string> Url, bool Revalidate, HttpStatusCode[] Allowed)[]
        {
            (_ => "/img/photo.png?w=100", true, [HttpStatusCode.NotModified]),
            (n => $"/img/photo.png?w={16 + n % 300}&fm=webp", false, [HttpStatusCode.OK, HttpStatusCode.TooManyRequests]),
            (_ => "/img/photo.png?w=abc", false, [HttpStatusCode.BadRequest]),
            (_ => "/img/photo.png?x=" + new string('a', 8100), false, [HttpStatusCode.RequestUriTooLong]),
            (_ => "/img/%2e%2e/%2e%2e/etc/passwd", false, [HttpStatusCode.NotFound]),
            // The header probe runs inside the gate (it is libvips work), so a bad image can also meet a full gate.
            (_ => "/img/bomb.png?w=10", false, [HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests]),
            (_ => "/img/truncated.png?w=10", false, [HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests]),
            (_ => "/img/random.jpg?w=10", false, [HttpStatusCode.UnprocessableEntity, HttpStatusCode.TooManyRequests]),
        };

        const int Requests = 640;
        var next = -1;
        var seen = new ConcurrentDictionary<HttpStatusCode, int>();
        var unexpected = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < Requests)
            {
                var (url, revalidate, allowed) = mix[n % mix.Length];
                using var request = new HttpRequestMessage(HttpMethod.Get, url(n));
                if (revalidate)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                using var response = await client.SendAsync(request);
                seen.AddOrUpdate(response.StatusCode, 1, (_, c) => c + 1);
                if (!allowed.Contains(response.StatusCode))
                {
                    unexpected.Enqueue($"{url(n)[..Math.Min(60, url(n).Length)]} → {(int)response.StatusCode}");
                }
            }
        }));

        TestContext.Out.WriteLine($"{Requests} requests in {clock.ElapsedMilliseconds} ms: " +
            string.Join(", ", seen.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}={s.Value}")));
        Assert.That(seen.Keys.Where(s => (int)s >= 500), Is.Empty, "no 5xx");
        Assert.That(unexpected, Is.Empty);
        Assert.That(seen.GetValueOrDefault(HttpStatusCode.OK), Is.GreaterThan(0), "renders did get through");

        using var ready = await client.GetAsync("/_imageproxy/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
