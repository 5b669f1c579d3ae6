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
        HttpContext context, SourceRegistry registry, ImageService service, IOptions<ProxyOptions> options, TimeProvider clock,
        ILoggerFactory loggers)
    {
        var logger = LoggerFor(loggers);
        var timings = new RequestTimings();
        var target = RequestTarget.From(context);
        var route = registry.Route(target.RawPath);
        var sourceName = route?.Source.Name ?? "-";
        // The request log line and imageproxy_requests_total are written by RequestTelemetry, around everything.
        if (RequestTelemetry.Of(context) is { } telemetry)
        {
            telemetry.Source = sourceName;
            telemetry.Timings = timings;
        }

        try
        {
            var refusal = await ServeAsync(context, target, route, service, options.Value, clock, timings);
            if (refusal is not null)
            {
                refusal.Log(logger, sourceName);
                await ErrorResults.WriteAsync(context, refusal);
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
            var error = ServerError.From(ex);
            error.Log(logger, sourceName);
            if (context.Response.HasStarted)
            {
                ErrorResults.CountRejection(context, error);
            }
            else
            {
                context.Response.Clear();
                await ErrorResults.WriteAsync(context, error);
            }
        }
    }

    /// <summary>Serves the image; returns the refusal when the request is a user mistake, throws for failures.</summary>
    private static async Task<ServerError?> ServeAsync(
        HttpContext context, RequestTarget target, SourceRoute? route, ImageService service, ProxyOptions options,
        TimeProvider clock, RequestTimings timings)
    {
        if (route is null)
        {
            return ServerError.UnknownSource;
        }

        var source = route.Source;
        var definition = source.Definition;
        // The signature covers the raw path INCLUDING the source prefix and the raw query, exactly as sent.
        if (definition.RequiresSignature && !Signature.Verify(definition.SecureTokens, target.RawPath, target.RawQuery))
        {
            return ServerError.BadSignature;
        }

        if (!ObjectKey.TryDecode(route.RawKey, definition.Kind, out var objectKey))
        {
            return ServerError.NotFound;
        }

        var parsed = RequestParser.Parse(target.RawQuery);
        if (parsed.Error is { } parseError)
        {
            return ServerError.From(parseError);
        }

        var limits = definition.Limits;
        var planned = PlanBuilder.Build(parsed.Value!, definition.DefaultParams, limits, definition.UnsupportedParameters);
        if (planned.Error is { } planError)
        {
            return ServerError.From(planError);
        }

        // Client hints adjust the plan before anything is keyed on it, so the cache key holds the bucketed width.
        var hints = ClientHints.Apply(
            planned.Value!, ClientHints.Requested(parsed.Value!), name => HeaderValue(context.Request, name),
            options.ClientHints.EffectiveWidthBuckets, limits);
        var plan = hints.Plan;
        var now = clock.GetUtcNow();
        if (plan.Expires is { } expires && expires <= now.ToUnixTimeSeconds())
        {
            return ServerError.Expired;
        }

        var accept = context.Request.Headers.Accept.ToString();
        var chosen = FormatChoice.Choose(plan, accept.Length == 0 ? null : accept, VipsRuntime.CanSave);
        if (chosen.Error is { } formatError)
        {
            return ServerError.From(formatError);
        }

        if (objectKey == TextEndpoint.Key)
        {
            await TextEndpoint.ServeAsync(context, definition, plan, chosen.Value!, now, timings);
            return null;
        }

        var request = new ImageRequest(source, objectKey, plan, chosen.Value!, ClientConditions.From(context.Request));
        var handOff = context.RequestServices.GetRequiredService<Cluster.ClusterForwarder>().HandOffFor(context);
        var result = await service.GetAsync(request, timings, context.RequestAborted, handOff);
        if (result.HandedOff)
        {
            return null; // the owning node's answer is already on the wire
        }

        RequestTelemetry.Of(context)?.Cache = service.CachesResults
            ? RequestTelemetry.CacheLabel(result.Tier, result.Stale, result.Revalidated)
            : ProxyMetrics.NoCache;

        var response = context.Response;
        ResponseHeaders.ApplyValidators(response, result, definition.CacheMaxAge, plan.Expires, now);
        ResponseHeaders.ApplyClientHints(response, hints);
        if (result.NotModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return null;
        }

        response.StatusCode = StatusCodes.Status200OK;
        ResponseHeaders.ApplyContent(response, result, plan.DownloadName);
        response.Headers[ResponseHeaders.ServerTimingHeader] = ResponseHeaders.ServerTiming(timings);
        // The memo keys on the target and Accept only: expiring URLs and hinted answers are never remembered.
        ResponseMemo.Offer(context, route, result, dependsOnMoreThanTheTarget: plan.Expires is not null || hints.Requested != ClientHint.None);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(result.Body, context.RequestAborted);
        }

        return null;
    }

    private static string? HeaderValue(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    // LoggerFactory.CreateLogger takes a lock on every call; remember the logger per factory (tests run several hosts).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ILoggerFactory, ILogger> Loggers = new();

    private static ILogger LoggerFor(ILoggerFactory factory) =>
        Loggers.GetValue(factory, f => f.CreateLogger(typeof(ImageEndpoints).FullName!));
}
