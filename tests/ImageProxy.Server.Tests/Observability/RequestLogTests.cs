using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>The one request log line (EventId 1000): every request, hits included, with tier, format, bytes and trace id.</summary>
[Category("EndToEnd")]
public sealed class RequestLogTests
{
    private const string Category = "ImageProxy.Server.Http.RequestTelemetry: ";

    private string _cacheDir = null!;

    [SetUp]
    public void CreateCacheDir() => _cacheDir = Directory.CreateTempSubdirectory("imageproxy-log-").FullName;

    [TearDown]
    public void DeleteCacheDir() => Directory.Delete(_cacheDir, recursive: true);

    [Test]
    public async Task Misses_hits_and_refusals_each_log_one_line_with_tier_format_bytes_and_trace_id_but_never_the_signature()
    {
        using var app = new HostileProxy(settings: new Dictionary<string, string?>
        {
            ["ImageProxy:CacheDir"] = _cacheDir,
            ["ImageProxy:Telemetry:HitLogSampling"] = "1",
        });
        using var client = app.CreateClient();
        var signed = ImgixSigner.Sign(HostileProxy.Token, "/signed/pic.png", "w=30&fm=webp");
        var signature = signed[(signed.LastIndexOf("s=", StringComparison.Ordinal) + 2)..];
        var trace = ActivityTraceId.CreateRandom();

        using var miss = await Send(client, signed, trace);
        using var hit = await Send(client, signed, ActivityTraceId.CreateRandom());
        using var tampered = await Send(client, signed.Replace("w=30", "w=31"), ActivityTraceId.CreateRandom());
        var body = await miss.Content.ReadAsByteArrayAsync();

        var lines = RequestLines(app);
        var everything = app.Logs.Lines.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(new[] { miss.StatusCode, hit.StatusCode, tampered.StatusCode },
                Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden }));
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(lines[0], Does.StartWith("Information " + Category + "GET /signed/pic.png source=signed status=200 cache=miss format=webp bytes=" + body.Length + " "));
            Assert.That(lines[0], Does.Contain("trace=" + trace.ToHexString()));
            Assert.That(lines[1], Does.StartWith("Information " + Category + "GET /signed/pic.png source=signed status=200 cache=hit-memory format=webp bytes=" + body.Length + " "));
            Assert.That(lines[1], Does.Match("trace=[0-9a-f]{32} "));
            Assert.That(lines[2], Does.Contain("source=signed status=403 cache=none"));
            Assert.That(everything, Has.None.Contains(signature));
            Assert.That(everything, Has.None.Match("[?&]s="), "no query string, so no s= parameter, in any log line");
        });
    }

    [Test]
    public void By_default_one_hit_in_a_hundred_is_logged()
    {
        using var app = new HostileProxy();
        var telemetry = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImageProxy.Server.Diagnostics.TelemetryOptions>>().Value;
        Assert.That(telemetry.HitLogSampling, Is.EqualTo(0.01));
    }

    [Test]
    public async Task Hit_sampling_zero_drops_hit_lines_but_keeps_misses()
    {
        using var app = new HostileProxy(settings: new Dictionary<string, string?>
        {
            ["ImageProxy:CacheDir"] = _cacheDir,
            ["ImageProxy:Telemetry:HitLogSampling"] = "0",
        });
        using var client = app.CreateClient();

        using var miss = await client.GetAsync("/img/pic.png?w=12");
        using var hit = await client.GetAsync("/img/pic.png?w=12");

        var lines = RequestLines(app);
        Assert.Multiple(() =>
        {
            Assert.That(hit.Headers.GetValues("X-Cache").Single(), Is.EqualTo("HIT-MEMORY"));
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines, Has.One.StartsWith("Information " + Category).And.Contain("cache=miss"));
        });
    }

    private static string[] RequestLines(HostileProxy app) => app.Logs.Lines.Where(line => line.Contains(Category, StringComparison.Ordinal)).ToArray();

    private static Task<HttpResponseMessage> Send(HttpClient client, string url, ActivityTraceId trace)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return client.SendAsync(request);
    }
}
