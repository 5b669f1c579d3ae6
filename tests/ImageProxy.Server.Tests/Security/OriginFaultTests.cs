using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// A web source in front of <see cref="FaultyOrigin"/>: every misbehaviour ends in a 502/504 (413 when the body
/// outgrows the byte cap) within the configured timeouts, errors are never cacheable, and a failure does not stick.
/// </summary>
[Category("EndToEnd")]
public sealed class OriginFaultTests
{
    private const double OriginTimeoutSeconds = 1.5;
    private const int RequestTimeoutSeconds = 4;

    // One source per fault: each web source has its own circuit breaker, and one fault opening it must not
    // change what the next case measures.
    private static readonly string[] Faults = ["ok", "500", "503", "reset", "wrong-length", "loop", "stall", "silent", "endless", "flaky"];

    private FaultyOrigin _origin = null!;
    private HostileProxy _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _origin = new FaultyOrigin(TestImages.Png(40, 20));
        var closedPort = ClosedPort();
        var timeout = OriginTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app = new HostileProxy(
            settings: new Dictionary<string, string?> { ["ImageProxy:Security:RequestTimeoutSeconds"] = RequestTimeoutSeconds.ToString() },
            extraSources: string.Concat(Faults.Select(f => $$$"""
                ,{"name":"f-{{{f}}}","pathPrefix":"/f-{{{f}}}","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{_origin.BaseUrl}}}","timeoutSeconds":{{{timeout}}},"maxBytes":3000000}}
                """)) + $$$"""
                ,{"name":"patient","pathPrefix":"/patient","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{_origin.BaseUrl}}}","timeoutSeconds":60}}
                ,{"name":"refused","pathPrefix":"/refused","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"http://127.0.0.1:{{{closedPort}}}","timeoutSeconds":{{{timeout}}}}}
                """);
        _client = _app.CreateClient();
        _client.Timeout = TimeSpan.FromSeconds(60);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        _app.Dispose();
        await _origin.DisposeAsync();
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task The_origin_works_when_it_behaves()
    {
        using var response = await _client.GetAsync("/f-ok/ok.png?w=10");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("/refused/ok.png", HttpStatusCode.BadGateway, Description = "connection refused")]
    [TestCase("/f-500/500.png", HttpStatusCode.BadGateway)]
    [TestCase("/f-503/503.png", HttpStatusCode.BadGateway)]
    [TestCase("/f-reset/reset.png", HttpStatusCode.BadGateway, Description = "RST mid-body")]
    [TestCase("/f-wrong-length/wrong-length.png", HttpStatusCode.BadGateway, Description = "body shorter than Content-Length")]
    [TestCase("/f-loop/loop.png", HttpStatusCode.BadGateway, Description = "redirect to itself; redirects are never followed")]
    [TestCase("/f-stall/stall.png", HttpStatusCode.GatewayTimeout, Description = "1 MB fast, then a stall")]
    [TestCase("/f-silent/silent.png", HttpStatusCode.GatewayTimeout, Description = "never answers")]
    [TestCase("/f-endless/endless.png", HttpStatusCode.RequestEntityTooLarge, Description = "endless chunked body: the byte cap ends it")]
    [TestCase("/patient/silent.png", HttpStatusCode.GatewayTimeout, Description = "source allows 60 s, the whole-request deadline ends it")]
    public async Task A_misbehaving_origin_gives_a_gateway_error_within_the_timeouts(string url, HttpStatusCode status)
    {
        var started = Stopwatch.StartNew();
        using var response = await _client.GetAsync(url + "?w=10");
        var elapsed = started.Elapsed;

        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(RequestTimeoutSeconds + 3)), "bounded by the configured timeouts");
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True, "an error is never cacheable downstream");
        Assert.That(response.Headers.RetryAfter, Is.Null, "the origin's own headers are not passed through");
    }

    [Test]
    public async Task The_whole_request_deadline_is_logged_as_the_504_it_answers()
    {
        // The source would wait 60 s for its origin; the 4 s request deadline ends it. The request's summary line
        // used to say 499 (client closed request) although the client got, and waited for, a 504.
        using var response = await _client.GetAsync("/patient/silent.png?w=12");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("The request took too long"));
        var summaries = _app.Logs.Lines.Where(l => l.Contains("source=patient status=", StringComparison.Ordinal)).ToArray();
        Assert.That(summaries, Is.Not.Empty);
        Assert.That(summaries, Has.All.Contains("source=patient status=504"));
    }

    [Test]
    public async Task A_failure_is_not_remembered_once_the_origin_recovers()
    {
        // flaky.png fails three times: the first attempt and both retries of the first request.
        using var failed = await _client.GetAsync("/f-flaky/flaky.png?w=10");
        using var recovered = await _client.GetAsync("/f-flaky/flaky.png?w=10");
        Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(recovered.StatusCode, Is.EqualTo(HttpStatusCode.OK), "no negative caching: the next request went back to the origin");
        Assert.That(_origin.Hits("/flaky.png"), Is.EqualTo(4));
    }

    [Test]
    public async Task The_server_is_still_healthy_after_the_faults()
    {
        for (var i = 0; i < 3; i++)
        {
            using (await _client.GetAsync("/f-reset/reset.png")) { }
            using (await _client.GetAsync("/f-endless/endless.png")) { }
        }

        using var response = await _client.GetAsync("/img/pic.png?w=10");
        using var ready = await _client.GetAsync("/_imageproxy/health/ready");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
