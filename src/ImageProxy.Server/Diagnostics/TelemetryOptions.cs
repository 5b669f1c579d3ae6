namespace ImageProxy.Server.Diagnostics;

/// <summary>Metrics, traces and the request log ("ImageProxy:Telemetry"); docs/observability.md describes each key.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "ImageProxy:Telemetry";

    /// <summary>Serve Prometheus text at GET /_imageproxy/metrics.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary>
    /// Optional separate listen address for the scrape endpoint (e.g. "http://0.0.0.0:9464"). When set, Kestrel also
    /// listens there and /_imageproxy/metrics answers only on that port, so the public port does not expose it.
    /// </summary>
    public string? MetricsUrl { get; set; }

    /// <summary>OTLP collector address (e.g. "http://otel-collector:4318"); null = no OTLP export, no trace pipeline.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>"HttpProtobuf" (port 4318, paths /v1/traces, /v1/metrics, /v1/logs appended) or "Grpc" (port 4317).</summary>
    public string OtlpProtocol { get; set; } = "HttpProtobuf";

    /// <summary>The service.name resource attribute on every exported span, metric and log.</summary>
    public string ServiceName { get; set; } = "imageproxy";

    /// <summary>
    /// Share of cache hits (and 304s from the cache) that get a request log line: 1 = every one, 0 = none, 0.01 = one
    /// in a hundred. Misses, errors and refusals are always logged. The default is 0.01 because a console line per hit
    /// costs a large share of the hit throughput (measured in docs/observability.md); imageproxy_requests_total counts them all.
    /// </summary>
    public double HitLogSampling { get; set; } = 0.01;
}
