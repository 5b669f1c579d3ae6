using System.Diagnostics;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Http;

/// <summary>
/// What one request's handlers learned (source, cache outcome, phase timings), kept in <see cref="HttpContext.Features"/>
/// so the outermost middleware can count, trace and log every request the same way: the image endpoint's and the
/// response memo's alike, and refusals (414, 429) that never reach either.
/// </summary>
public sealed class RequestTelemetry
{
    public string Source { get; set; } = "-";

    /// <summary>hit-memory, hit-disk, hit-redis, miss, stale, revalidated or none (the imageproxy_requests_total label).</summary>
    public string Cache { get; set; } = ProxyMetrics.NoCache;

    public RequestTimings? Timings { get; set; }

    public static RequestTelemetry? Of(HttpContext context) => context.Features.Get<RequestTelemetry>();

    public static string CacheLabel(CacheTier tier, bool stale = false, bool revalidated = false) =>
        stale ? "stale"
        : revalidated ? "revalidated"
        : tier switch
        {
            CacheTier.Memory => "hit-memory",
            CacheTier.Disk => "hit-disk",
            CacheTier.Redis => "hit-redis",
            _ => "miss",
        };

    private bool IsHit => Cache.StartsWith("hit-", StringComparison.Ordinal);

    /// <summary>
    /// The outermost middleware: a span per request, imageproxy_requests_total and the one request log line. Ops
    /// endpoints (health probes, scrapes) get a Debug line only and are not counted as image requests.
    /// </summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, ProxyMetrics metrics, ILogger logger, double hitLogSampling)
    {
        var isOps = context.Request.Path.StartsWithSegments(Configuration.SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase);
        using var span = isOps ? null : ProxyTracing.Source.StartActivity(ProxyTracing.RequestSpan);
        var telemetry = new RequestTelemetry();
        context.Features.Set(telemetry);
        var started = Stopwatch.GetTimestamp();
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            // An exception that escaped becomes a 500 further out; count and log it as one.
            var status = threw ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            if (!isOps)
            {
                metrics.RequestServed(telemetry.Source, status, telemetry.Cache);
            }

            var format = FormatOf(context.Response.ContentType);
            var bytes = HttpMethods.IsHead(context.Request.Method) ? 0 : context.Response.ContentLength ?? 0;
            if (span is not null)
            {
                span.SetTag("imageproxy.source", telemetry.Source);
                span.SetTag("imageproxy.cache", telemetry.Cache);
                span.SetTag("imageproxy.format", format);
                span.SetTag("http.response.status_code", status);
                if (status >= 500)
                {
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }

            telemetry.Write(context, logger, hitLogSampling, isOps, status, format, bytes, Stopwatch.GetElapsedTime(started), (span ?? Activity.Current)?.TraceId);
        }
    }

    private void Write(
        HttpContext context, ILogger logger, double hitLogSampling, bool isOps, int status, string format, long bytes, TimeSpan total,
        ActivityTraceId? traceId)
    {
        var level = isOps ? LogLevel.Debug : status >= 500 ? LogLevel.Error : status >= 400 ? LogLevel.Warning : LogLevel.Information;
        if (!logger.IsEnabled(level)
            || (level == LogLevel.Information && IsHit && hitLogSampling < 1.0 && Random.Shared.NextDouble() >= hitLogSampling))
        {
            return;
        }

        // The path only, never the query: a signed URL's s= (and any other secret a client put there) stays out of logs.
        Log.RequestCompleted(
            logger, level, context.Request.Method, context.Request.Path.Value ?? "/", Source, status, Cache, format, bytes,
            (Timings?.Origin ?? TimeSpan.Zero).TotalMilliseconds, (Timings?.Queue ?? TimeSpan.Zero).TotalMilliseconds,
            (Timings?.Render ?? TimeSpan.Zero).TotalMilliseconds, total.TotalMilliseconds,
            traceId is { } id && id != default ? id.ToHexString() : "-");
    }

    // "image/webp" → "webp", "image/svg+xml" → "svg"; "-" for no body (304, errors carry JSON problem details).
    private static string FormatOf(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return "-";
        }

        var subtype = contentType.AsSpan("image/".Length);
        var end = subtype.IndexOfAny('+', ';');
        return (end < 0 ? subtype : subtype[..end]).Trim().ToString().ToLowerInvariant();
    }
}
