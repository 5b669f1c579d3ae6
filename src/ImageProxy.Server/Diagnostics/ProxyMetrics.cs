using System.Diagnostics.Metrics;
using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Diagnostics;

/// <summary>
/// The "ImageProxy" meter and every instrument on it. Instrument names follow OpenTelemetry (dots); the Prometheus
/// exporter turns them into the documented names (<c>imageproxy.requests</c> → <c>imageproxy_requests_total</c>,
/// <c>imageproxy.render</c> in seconds → <c>imageproxy_render_seconds</c>), and OTLP receives them as they are.
/// </summary>
/// <remarks>
/// Gauges and the eviction counters are observed, not pushed: the tiers and the gate already keep the numbers, so a
/// scrape reads them and the hot path pays nothing. The meter comes from <see cref="IMeterFactory"/>, so each host
/// (tests run several in one process) owns its instruments.
/// </remarks>
public sealed class ProxyMetrics
{
    public const string MeterName = "ImageProxy";

    /// <summary>The cache label of a request that no cache took part in (errors, refusals, cache off).</summary>
    public const string NoCache = "none";

    // Renders and origin calls take milliseconds to tens of seconds; the SDK's default buckets are meant for milliseconds.
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _renders;
    private readonly Histogram<double> _renderSeconds;
    private readonly Histogram<double> _originSeconds;
    private readonly Counter<long> _originErrors;
    // One slot per RejectionReasons.All entry, observed: every reason is exported from the first scrape on (at 0), so
    // rate() and alerts work before the first refusal.
    private readonly long[] _rejections = new long[RejectionReasons.All.Length];

    public ProxyMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _requests = meter.CreateCounter<long>("imageproxy.requests", description: "Image requests by source, status and the cache tier that answered.");
        _renders = meter.CreateCounter<long>("imageproxy.renders", description: "Renders run by libvips, by output format.");
        _renderSeconds = meter.CreateHistogram("imageproxy.render", "s", "Time in libvips per render (queue wait excluded).", advice: seconds);
        _originSeconds = meter.CreateHistogram("imageproxy.origin", "s", "Origin fetch time, by source and source kind.", advice: seconds);
        _originErrors = meter.CreateCounter<long>("imageproxy.origin.errors", description: "Origin fetches that failed, by source and reason.");
        meter.CreateObservableCounter("imageproxy.rejections", () => RejectionReasons.All.Select((reason, i) =>
                new Measurement<long>(Interlocked.Read(ref _rejections[i]), new KeyValuePair<string, object?>("reason", reason))),
            description: "Requests refused to protect the server, by reason.");

        // Resolved on first observation, not here: the metrics object is built before the tiers need to exist.
        var gate = new Lazy<ProcessingGate?>(services.GetService<ProcessingGate>);
        var memory = new Lazy<MemoryResultCache?>(services.GetService<MemoryResultCache>);
        var disk = new Lazy<DiskResultCache?>(services.GetService<DiskResultCache>);
        var redis = new Lazy<RedisConnection?>(services.GetService<RedisConnection>);
        meter.CreateObservableGauge("imageproxy.queue.depth", () => gate.Value?.Waiting ?? 0,
            description: "Renders waiting for a processing slot.");
        meter.CreateObservableGauge("imageproxy.cache.bytes", () => Tiers(memory.Value?.Bytes, disk.Value?.BytesAtLastSweep),
            description: "Bytes held per cache tier (disk: as of the janitor's last sweep).");
        meter.CreateObservableCounter("imageproxy.cache.evictions", () => Tiers(memory.Value?.Evictions, disk.Value?.Evictions),
            description: "Entries evicted to stay under a tier's byte budget.");
        meter.CreateObservableGauge("imageproxy.redis.breaker.open", () => redis.Value is { } connection
                ? [new Measurement<int>(connection.CircuitOpen ? 1 : 0)]
                : Array.Empty<Measurement<int>>(),
            description: "1 while the Redis circuit breaker is open (Redis skipped), else 0; absent without Redis.");
    }

    public void RequestServed(string source, int status, string cache) =>
        _requests.Add(1, new("source", source), new("status", BoxedStatus(status)), new("cache", cache));

    public void Rendered(string format, TimeSpan elapsed)
    {
        var label = new KeyValuePair<string, object?>("format", format);
        _renders.Add(1, label);
        _renderSeconds.Record(elapsed.TotalSeconds, label);
    }

    public void OriginFetched(string source, string kind, TimeSpan elapsed) =>
        _originSeconds.Record(elapsed.TotalSeconds, new("source", source), new("kind", kind));

    public void OriginFailed(string source, string reason) =>
        _originErrors.Add(1, new("source", source), new("reason", reason));

    /// <param name="reason">One of <see cref="RejectionReasons"/>.</param>
    public void Rejected(string reason)
    {
        var slot = Array.IndexOf(RejectionReasons.All, reason);
        if (slot >= 0)
        {
            Interlocked.Increment(ref _rejections[slot]);
        }
    }

    // The status tag is an int; boxing it anew for every request would be the hot path's only allocation here.
    private static readonly object[] BoxedStatuses = Enumerable.Range(0, 600).Select(status => (object)status).ToArray();

    private static object BoxedStatus(int status) => (uint)status < (uint)BoxedStatuses.Length ? BoxedStatuses[status] : status;

    private static IEnumerable<Measurement<long>> Tiers(long? memory, long? disk)
    {
        if (memory is { } m)
        {
            yield return new Measurement<long>(m, new KeyValuePair<string, object?>("tier", "memory"));
        }

        if (disk is { } d)
        {
            yield return new Measurement<long>(d, new KeyValuePair<string, object?>("tier", "disk"));
        }
    }
}

/// <summary>The reason label of imageproxy_rejections_total.</summary>
public static class RejectionReasons
{
    /// <summary>The processing queue was full (429).</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The per-client rate limit refused the request (429).</summary>
    public const string RateLimit = "rate_limit";

    /// <summary>Queue wait plus render passed ProcessingTimeoutSeconds.</summary>
    public const string RenderTimeout = "render_timeout";

    /// <summary>The whole request passed Security:RequestTimeoutSeconds (504).</summary>
    public const string RequestTimeout = "request_timeout";

    public static readonly string[] All = [QueueFull, RateLimit, RenderTimeout, RequestTimeout];
}
