using ImageProxy.Server.Caching;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ImageProxy.Server.Http;

/// <summary>
/// The repeated-hit fast path. It remembers, per request target as sent (and, for auto=format URLs, per Accept
/// class), the headers of the 200 the image endpoint answered and where its body lives in the result cache. A
/// repeat is then answered before URL checks, routing, parsing, planning, hashing and the object-record read: one
/// table lookup and one result-cache read. The body itself is never held here; the tiers own it, so the memo adds
/// no byte budget of its own and a result the tiers dropped or purged is simply a miss that goes the long way.
/// </summary>
/// <remarks>
/// A remembered response is used only while all of these hold, and is otherwise forgotten:
/// <list type="bullet">
/// <item>the sources configuration is the one it was made under (<see cref="SourceRegistry.Generation"/>);</item>
/// <item>the object record it was served under is still fresh (checked at + max-age); past that, the long way
///       revalidates with the origin, exactly as it would without the memo;</item>
/// <item>the result cache still holds the body (a purge, an eviction, an expiry or a failed check makes it a miss).</item>
/// </list>
/// Only targets the long way has accepted get in (so signatures were verified for exactly these bytes), and never
/// URLs with <c>expires</c> (their max-age shrinks by the second and they must turn into 410 on time).
/// It runs after the URL length check and the per-client rate limit (so a repeat is refused and counted like any
/// request) and before the request deadline, which guards work a repeat never does.
/// </remarks>
public sealed class ResponseMemo
{
    /// <summary>The Accept class of a response whose format did not depend on Accept.</summary>
    private const int AnyAccept = -1;

    private readonly LruTable<(string Target, int AcceptClass), MemoizedResponse>? _responses;
    private readonly IResultCache? _cache;
    private readonly SourceRegistry _registry;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public ResponseMemo(
        SourceRegistry registry, TimeProvider clock, IOptions<CachingOptions> options, ILogger<ResponseMemo> logger, IResultCache? cache = null)
    {
        _registry = registry;
        _clock = clock;
        _logger = logger;
        var settings = options.Value.ResultCache;
        // No IResultCache is registered when the result cache is off.
        if (cache is not null && settings.MemoEntries > 0)
        {
            _cache = cache;
            _responses = new LruTable<(string, int), MemoizedResponse>(settings.MemoEntries);
        }
    }

    /// <summary>Responses remembered now.</summary>
    public int Count => _responses?.Count ?? 0;

    /// <summary>
    /// The middleware: a remembered target is answered here; any other request goes the long way, and a 200 the image
    /// endpoint offered (<see cref="Offer"/>) is remembered once it has been sent.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_responses is null)
        {
            await next(context);
            return;
        }

        if (Find(context) is { } remembered && await TryServeAsync(context, remembered))
        {
            return;
        }

        await next(context);
        if (context.Features.Get<Offered>() is { } offered)
        {
            Remember(context, offered);
        }
    }

    /// <summary>
    /// Called by the image endpoint for a 200 it answers: the memo remembers it after it has been sent, unless it
    /// depends on more than the target and the Accept class (an expiring URL, a hinted answer) or is not in the cache.
    /// </summary>
    public static void Offer(HttpContext context, SourceRoute route, ImageResult result, bool dependsOnMoreThanTheTarget)
    {
        if (result.Cached is not null && !result.Stale && !dependsOnMoreThanTheTarget)
        {
            context.Features.Set(new Offered(route, result));
        }
    }

    /// <summary>
    /// Headers are copied as they were sent, so a repeat carries exactly what the long way sent (X-Cache,
    /// Server-Timing and Content-Length aside, which depend on the tier that answers).
    /// </summary>
    private void Remember(HttpContext context, Offered offered)
    {
        var (route, result) = offered;
        if (result.Cached is not { } location || context.Response.StatusCode != StatusCodes.Status200OK)
        {
            return;
        }

        var acceptClass = result.VaryOnAccept ? FormatChoice.AcceptClass(context.Request.Headers.Accept.ToString()) : AnyAccept;
        var headers = context.Response.Headers
            .Where(header => !IsTierSpecific(header.Key))
            .ToArray();
        var target = RequestTarget.Raw(context);
        var response = new MemoizedResponse(target, acceptClass, route.Generation, route.Source.Name, location, result.ETag, result.LastModified, headers);
        _responses!.Set((target, acceptClass), response, 1);
    }

    private MemoizedResponse? Find(HttpContext context)
    {
        var request = context.Request;
        if (_responses is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return null;
        }

        var target = RequestTarget.Raw(context);
        if (!_responses.TryGet((target, AnyAccept), out var response)
            && !_responses.TryGet((target, FormatChoice.AcceptClass(request.Headers.Accept.ToString())), out response))
        {
            return null;
        }

        if (response.Generation != _registry.Generation || _clock.GetUtcNow() >= response.Location.FreshUntil)
        {
            Forget(response);
            return null;
        }

        return response;
    }

    /// <summary>Answers from the memo; false when the result cache no longer holds the body (the long way answers).</summary>
    private async Task<bool> TryServeAsync(HttpContext context, MemoizedResponse remembered)
    {
        var response = context.Response;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (ClientConditions.From(context.Request).IsSatisfiedBy(remembered.ETag, remembered.LastModified))
        {
            // Like the long way's 304 from a fresh record: the body is not even looked up.
            Replay(response, remembered, CacheTier.Memory, notModified: true);
            response.StatusCode = StatusCodes.Status304NotModified;
            Describe(context, remembered, CacheTier.Memory);
            Log.MemoServed(_logger, remembered.SourceName, StatusCodes.Status304NotModified);
            return true;
        }

        CacheEntry? entry;
        CacheTier tier;
        try
        {
            (entry, tier) = await _cache!.GetWithTierAsync(remembered.Location.Object, remembered.Location.Key, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away; there is nobody to answer
        }

        if (entry is null)
        {
            Forget(remembered);
            return false;
        }

        Replay(response, remembered, tier, notModified: false);
        response.StatusCode = StatusCodes.Status200OK;
        Describe(context, remembered, tier);
        response.ContentLength = entry.Body.Length;
        // This answer's own timing (the remembered one was another request's): no origin, queue or render ran.
        response.Headers[ResponseHeaders.ServerTimingHeader] = string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"total;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.#}");
        Log.MemoServed(_logger, remembered.SourceName, StatusCodes.Status200OK);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(entry.Body, context.RequestAborted);
        }

        return true;
    }

    private static void Replay(HttpResponse response, MemoizedResponse remembered, CacheTier tier, bool notModified)
    {
        var headers = response.Headers;
        foreach (var (name, value) in remembered.Headers)
        {
            // A 304 repeats the validators and caching headers (RFC 9110 15.4.5), not the content's own.
            if (!notModified || !IsContentHeader(name))
            {
                headers[name] = value;
            }
        }

        headers[ResponseHeaders.CacheStatusHeader] = ResponseHeaders.CacheStatus(tier, stale: false);
    }

    // For the request log line and imageproxy_requests_total (Http/RequestTelemetry).
    private static void Describe(HttpContext context, MemoizedResponse remembered, CacheTier tier)
    {
        if (RequestTelemetry.Of(context) is { } telemetry)
        {
            telemetry.Source = remembered.SourceName;
            telemetry.Cache = RequestTelemetry.CacheLabel(tier);
        }
    }

    private void Forget(MemoizedResponse response) => _responses!.Remove((response.Target, response.AcceptClass), response);

    private static bool IsTierSpecific(string name) =>
        name.Equals(ResponseHeaders.CacheStatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ResponseHeaders.ServerTimingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);

    private static bool IsContentHeader(string name) =>
        name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.ContentDisposition, StringComparison.OrdinalIgnoreCase);

    /// <summary>A 200 the image endpoint offered to be remembered once sent.</summary>
    private sealed record Offered(SourceRoute Route, ImageResult Result);

    private sealed record MemoizedResponse(
        string Target,
        int AcceptClass,
        long Generation,
        string SourceName,
        CacheLocation Location,
        string ETag,
        DateTimeOffset? LastModified,
        KeyValuePair<string, StringValues>[] Headers);
}
