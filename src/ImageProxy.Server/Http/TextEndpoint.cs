using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Http;

/// <summary>
/// imgix's typesetting endpoint, <c>&lt;source prefix&gt;/~text?txt=…</c>: an image made of text alone. It has no origin
/// object, so it skips the origin and the result cache (a caption renders in a few milliseconds) but not the render
/// gate; its ETag is the cache key of the plan, so a revalidation is answered 304 without rendering.
/// </summary>
internal static class TextEndpoint
{
    /// <summary>The object key that names the endpoint in every source.</summary>
    public const string Key = "~text";

    public static async Task ServeAsync(
        HttpContext context, SourceDefinition source, TransformPlan plan, FormatDecision format, DateTimeOffset now, RequestTimings timings)
    {
        var limits = source.Limits;
        var etag = "\"" + CacheKey.Compute(source.Name, Key, null, plan, format.Format, limits.OutputPolicy) + "\"";
        var response = context.Response;
        var services = context.RequestServices;
        if (ClientConditions.From(context.Request).IsSatisfiedBy(etag, null))
        {
            ResponseHeaders.ApplyValidators(response, new ImageResult(true, ReadOnlyMemory<byte>.Empty, null, etag, null, format.AcceptMattered, 0, 0), source.CacheMaxAge, plan.Expires, now);
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var encoding = services.GetRequiredService<IOptions<ProxyOptions>>().Value.Encoding;
        RenderResult rendered;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using (await services.GetRequiredService<ProcessingGate>().EnterAsync(context.RequestAborted))
        {
            timings.Queue = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            // As for images: libvips runs on the pool and is awaited to the end, so the slot is never freed early.
            rendered = await Task.Run(() => TextImage.Render(plan, format, limits, encoding, context.RequestAborted), CancellationToken.None);
            timings.Render = System.Diagnostics.Stopwatch.GetElapsedTime(started) - timings.Queue;
        }

        var result = new ImageResult(false, rendered.Bytes, rendered.ContentType, etag, null, format.AcceptMattered, rendered.Width, rendered.Height)
        {
            Quality = rendered.Quality,
        };
        ResponseHeaders.ApplyValidators(response, result, source.CacheMaxAge, plan.Expires, now);
        response.StatusCode = StatusCodes.Status200OK;
        ResponseHeaders.ApplyContent(response, result, plan.DownloadName);
        response.Headers[ResponseHeaders.ServerTimingHeader] = ResponseHeaders.ServerTiming(timings);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(result.Body, context.RequestAborted);
        }
    }
}
