using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Http;

/// <summary>
/// Operator endpoints under the reserved prefix (purge, stats). Without a configured admin token they do not
/// exist (404), so an unconfigured deployment exposes nothing; with one, a missing or wrong bearer token is a 401.
/// </summary>
public static class AdminEndpoints
{
    private const int MaxBodyBytes = 1 << 20;

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OpsEndpoints.Prefix + "/purge", PurgeAsync);
        // Counters only (no keys, paths or sources), yet still the operator's business: how much this process renders.
        endpoints.MapGet(OpsEndpoints.Prefix + "/stats", (HttpContext context, IOptions<CachingOptions> options, ImageService service) =>
            Refusal(context, options.Value.AdminToken) ?? Results.Json(new { renders = service.Renders }));
        return endpoints;
    }

    /// <summary>404 without a configured token, 401 (with a Bearer challenge) for a missing or wrong one, else null.</summary>
    private static IResult? Refusal(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Results.NotFound();
        }

        if (!IsAuthorized(context.Request, token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        return null;
    }

    private static async Task<IResult> PurgeAsync(
        HttpContext context, IOptions<CachingOptions> options, SourceRegistry registry, AdminPurgeWebhook webhook,
        ILoggerFactory loggers, IServiceProvider services)
    {
        if (Refusal(context, options.Value.AdminToken) is { } refusal)
        {
            return refusal;
        }

        var paths = await ReadPathsAsync(context);
        if (paths is null)
        {
            return Results.Problem("Expected a JSON body {\"paths\":[\"/source/object.jpg\", …]}", statusCode: StatusCodes.Status400BadRequest);
        }

        var logger = loggers.CreateLogger(typeof(AdminEndpoints).FullName!);
        var cache = services.GetService<TieredCache>();
        var purged = new List<string>();
        var unknown = new List<string>();
        var surrogateKeys = new List<string>();
        foreach (var path in paths)
        {
            // Purge by object: the query (if someone pasted a full URL) does not matter, every variant goes.
            var rawPath = path.Split('?', 2)[0];
            if (registry.Route(rawPath) is not { } route || !ObjectKey.TryDecode(route.RawKey, out var objectKey))
            {
                unknown.Add(path);
                continue;
            }

            var sourceObject = new SourceObject(route.Source.Name, objectKey);
            if (cache is not null)
            {
                await cache.PurgeAsync(sourceObject, context.RequestAborted);
            }

            Log.CachePurged(logger, sourceObject.Source, sourceObject.Hash);
            purged.Add(path);
            surrogateKeys.Add(sourceObject.SurrogateKeys[^1]);
        }

        var cdn = surrogateKeys.Count > 0 ? await webhook.NotifyAsync(surrogateKeys, purged, context.RequestAborted) : "nothing to purge";
        return Results.Json(new { purged, unknown, surrogateKeys, cdn });
    }

    private static bool IsAuthorized(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Constant-time, so the token cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }

    private static async Task<IReadOnlyList<string>?> ReadPathsAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (!document.RootElement.TryGetProperty("paths", out var paths) || paths.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<string>();
            foreach (var item in paths.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } value)
                {
                    return null;
                }

                list.Add(value);
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
