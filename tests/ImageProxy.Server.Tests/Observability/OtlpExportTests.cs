using System.Net;
using System.Text;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>Telemetry:OtlpEndpoint pointed at a local OTLP/HTTP receiver: spans and metrics arrive there as protobuf.</summary>
[Category("EndToEnd")]
public sealed class OtlpExportTests
{
    [Test]
    public async Task Spans_and_metrics_reach_an_OTLP_http_receiver()
    {
        await using var collector = await LocalReceiver.StartAsync();
        var app = new HostileProxy(settings: new Dictionary<string, string?>
        {
            ["ImageProxy:Telemetry:OtlpEndpoint"] = collector.BaseUrl,
            ["ImageProxy:Telemetry:OtlpProtocol"] = "HttpProtobuf",
            ["ImageProxy:Telemetry:ServiceName"] = "imageproxy-otlp-test",
        });
        using (var client = app.CreateClient())
        using (var image = await client.GetAsync("/img/pic.png?w=9"))
        {
            Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        // Stopping the host shuts the providers down, which flushes spans and takes a last metric reading.
        app.Dispose();

        var traces = collector.Requests.Where(r => r.Path == "/v1/traces").ToArray();
        var metrics = collector.Requests.Where(r => r.Path == "/v1/metrics").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(traces, Is.Not.Empty);
            Assert.That(metrics, Is.Not.Empty);
            Assert.That(collector.Requests.Select(r => r.Method), Is.All.EqualTo("POST"));
            Assert.That(traces.Concat(metrics).Select(r => r.Headers["Content-Type"]), Is.All.EqualTo("application/x-protobuf"));
            // Protobuf keeps strings as UTF-8 bytes: the span and instrument names and the service name are readable.
            Assert.That(Contains(traces, "imageproxy.request") && Contains(traces, "imageproxy.render") && Contains(traces, "imageproxy.origin"), Is.True);
            Assert.That(Contains(traces, "imageproxy-otlp-test"), Is.True, "service.name resource attribute");
            Assert.That(Contains(metrics, "imageproxy.requests") && Contains(metrics, "imageproxy.renders"), Is.True);
        });
    }

    private static bool Contains(IEnumerable<LocalReceiver.Received> requests, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return requests.Any(r => r.Body.AsSpan().IndexOf(needle) >= 0);
    }
}
