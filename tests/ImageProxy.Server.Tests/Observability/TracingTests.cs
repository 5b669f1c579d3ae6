using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>The "ImageProxy" activity source seen through an ActivityListener, as an OpenTelemetry SDK would see it.</summary>
[Category("EndToEnd")]
public sealed class TracingTests
{
    private string _cacheDir = null!;

    [SetUp]
    public void CreateCacheDir() => _cacheDir = Directory.CreateTempSubdirectory("imageproxy-tracing-").FullName;

    [TearDown]
    public void DeleteCacheDir() => Directory.Delete(_cacheDir, recursive: true);

    [Test]
    public async Task A_miss_has_a_request_span_with_origin_render_and_cache_children_and_a_hit_has_none_of_origin_or_render()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core's source too, so the incoming traceparent becomes the parent and this test's requests are
            // told apart from any other host's by trace id.
            ShouldListenTo = source => source.Name is ProxyTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var app = new HostileProxy(settings: new Dictionary<string, string?> { ["ImageProxy:CacheDir"] = _cacheDir });
        using var client = app.CreateClient();

        var missTrace = ActivityTraceId.CreateRandom();
        var hitTrace = ActivityTraceId.CreateRandom();
        using (var miss = await Send(client, "/img/pic.png?w=24&fm=webp", missTrace))
        using (var hit = await Send(client, "/img/pic.png?w=24&fm=webp", hitTrace))
        {
            Assert.That(miss.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(hit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var missSpans = spans.Where(s => s.TraceId == missTrace && s.Source.Name == ProxyTracing.SourceName).ToArray();
        var hitSpans = spans.Where(s => s.TraceId == hitTrace && s.Source.Name == ProxyTracing.SourceName).ToArray();
        var request = missSpans.Single(s => s.OperationName == ProxyTracing.RequestSpan);
        var hitRequest = hitSpans.Single(s => s.OperationName == ProxyTracing.RequestSpan);
        Assert.Multiple(() =>
        {
            Assert.That(request.GetTagItem("imageproxy.cache"), Is.EqualTo("miss"));
            Assert.That(request.GetTagItem("imageproxy.source"), Is.EqualTo("img"));
            Assert.That(request.GetTagItem("imageproxy.format"), Is.EqualTo("webp"));
            Assert.That(Names(missSpans), Does.Contain(ProxyTracing.OriginSpan).And.Contain(ProxyTracing.RenderSpan)
                .And.Contain(ProxyTracing.CacheReadSpan).And.Contain(ProxyTracing.CacheWriteSpan));
            Assert.That(missSpans.Where(s => s != request).Select(s => IsUnder(s, request, missSpans)), Is.All.True, "every child hangs under the request span");
            Assert.That(missSpans.Single(s => s.OperationName == ProxyTracing.RenderSpan).GetTagItem("imageproxy.format"), Is.EqualTo("webp"));

            Assert.That(hitRequest.GetTagItem("imageproxy.cache"), Is.EqualTo("hit-memory"));
            Assert.That(Names(hitSpans), Does.Not.Contain(ProxyTracing.OriginSpan).And.Not.Contain(ProxyTracing.RenderSpan));
        });
    }

    private static string[] Names(IEnumerable<Activity> spans) => spans.Select(s => s.OperationName).ToArray();

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyCollection<Activity> all)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            parent = all.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }

        return false;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string url, ActivityTraceId trace)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return client.SendAsync(request);
    }
}
