using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Security;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Http;

/// <summary>
/// GET and HEAD for every path not taken by an ops endpoint: HTTP in, one <see cref="ImageService"/> call,
/// HTTP out. The order of checks matters: source → signature → key → parameters → expiry → format, so
/// an unsigned request to a signed source learns nothing about its parameters or objects.
/// </summary>
public static class ImageEndpoints
{
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(
        HttpContext context, SourceRegistry registry, ImageService service, ResponseMemo memo, IOptions<ProxyOptions> options, TimeProvider clock,
        ILoggerFactory loggers)
    {
        var logger = LoggerFor(loggers);
        var timings = new RequestTimings();
        var target = RequestTarget.From(context);
        var route = registry.Route(target.RawPath);
        var sourceName = route?.Source.Name ?? "-";
        long bytesSent = 0;

        try
        {
            var refusal = await ServeAsync(context, target, route, service, memo, options.Value, clock, logger, timings);
            if (refusal is not null)
            {
                await ErrorResults.WriteAsync(context, refusal);
            }
            else
            {
                bytesSent = context.Response.ContentLength ?? 0;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (499, only for the log line: nobody to answer), or the whole-request deadline
            // fired (504, whose body RequestDeadline writes once the client's token is back).
            context.Response.StatusCode = RequestDeadline.CancelledStatus(context);
        }
        catch (Exception ex)
        {
            var error = ErrorResults.Classify(ex);
            LogFailure(logger, sourceName, error, ex);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ErrorResults.WriteAsync(context, error);
            }
        }
        finally
        {
            var status = context.Response.StatusCode;
            var level = status >= 500 ? LogLevel.Error : status >= 400 ? LogLevel.Warning
                : timings.FromCache ? LogLevel.Debug : LogLevel.Information;
            Log.RequestCompleted(
                logger, level, context.Request.Method, sourceName, status, bytesSent,
                timings.Origin.TotalMilliseconds, timings.Queue.TotalMilliseconds, timings.Render.TotalMilliseconds, timings.Total.TotalMilliseconds);
        }
    }

    /// <summary>Serves the image; returns the refusal when the request is a user mistake, throws for failures.</summary>
    private static async Task<TransformError?> ServeAsync(
        HttpContext context, RequestTarget target, SourceRoute? route, ImageService service, ResponseMemo memo, ProxyOptions options,
        TimeProvider clock, ILogger logger, RequestTimings timings)
    {
        if (route is null)
        {
            return new TransformError(404, "Unknown source");
        }

        var source = route.Source;
        var definition = source.Definition;
        // The signature covers the raw path INCLUDING the source prefix and the raw query, exactly as sent.
        if (definition.RequiresSignature && !Signature.Verify(definition.SecureTokens, target.RawPath, target.RawQuery))
        {
            Log.SignatureRejected(logger, source.Name);
            return TransformError.Forbidden("Missing or invalid signature");
        }

        if (!ObjectKey.TryDecode(route.RawKey, definition.Kind, out var objectKey))
        {
            return new TransformError(404, "Not found");
        }

        var parsed = RequestParser.Parse(target.RawQuery);
        if (parsed.Error is { } parseError)
        {
            return parseError;
        }

        var limits = definition.EffectiveLimits(options.Limits);
        var planned = PlanBuilder.Build(parsed.Value!, definition.DefaultParams, limits, definition.UnsupportedParameters);
        if (planned.Error is { } planError)
        {
            return planError;
        }

        var plan = planned.Value!;
        if (plan.Mask.Kind == MaskKind.Image)
        {
            // The executor can apply a mask image; fetching it through the origin (limits, guard, cache key) is the overlay
            // work of issue 12. Until then a clear refusal, never a silently unmasked picture.
            return TransformError.BadParameter("mask", "mask images (a path or URL) are not supported by this build yet; use ellipse or corners");
        }

        var now = clock.GetUtcNow();
        if (plan.Expires is { } expires && expires <= now.ToUnixTimeSeconds())
        {
            return new TransformError(410, "URL expired");
        }

        var accept = context.Request.Headers.Accept.ToString();
        var chosen = FormatChoice.Choose(plan, accept.Length == 0 ? null : accept, VipsRuntime.CanSave);
        if (chosen.Error is { } formatError)
        {
            return formatError;
        }

        var request = new ImageRequest(source, objectKey, plan, chosen.Value!, ClientConditions.From(context.Request), limits);
        var result = await service.GetAsync(request, timings, context.RequestAborted);
        timings.FromCache = result.NotModified || result.Tier != Caching.CacheTier.None;

        var response = context.Response;
        // A stale answer is for this request only: caches after us must come back for the revalidated one.
        var maxAge = result.Stale ? 0 : ResponseHeaders.MaxAge(definition.CacheMaxAge, plan.Expires, now);
        ResponseHeaders.ApplyValidators(response, result, maxAge);
        if (result.NotModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return null;
        }

        response.StatusCode = StatusCodes.Status200OK;
        ResponseHeaders.ApplyContent(response, result, plan.DownloadName);
        memo.Remember(context, route, result, expires: plan.Expires is not null);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(result.Body, context.RequestAborted);
        }

        return null;
    }

    // LoggerFactory.CreateLogger takes a lock on every call; remember the logger per factory (tests run several hosts).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ILoggerFactory, ILogger> Loggers = new();

    private static ILogger LoggerFor(ILoggerFactory factory) =>
        Loggers.GetValue(factory, f => f.CreateLogger(typeof(ImageEndpoints).FullName!));

    private static void LogFailure(ILogger logger, string source, TransformError error, Exception exception)
    {
        switch (exception)
        {
            case OriginUnavailableException or OriginTimeoutException:
                Log.OriginFailed(logger, source, error.Status, exception.Message);
                break;
            case ProcessingRejectedException:
                Log.ProcessingRejected(logger, source);
                break;
            case ProcessingTimeoutException:
                Log.ProcessingTimedOut(logger, source);
                break;
            case ImagingException or ObjectNotFoundException or SourceTooLargeException:
                Log.RequestRefused(logger, source, error.Status, exception.InnerException?.Message ?? exception.Message);
                break;
            default:
                Log.RequestFailed(logger, exception, source);
                break;
        }
    }
}
