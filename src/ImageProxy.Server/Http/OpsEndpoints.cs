using ImageProxy.Imaging;
using ImageProxy.Imaging.Faces;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Http;

/// <summary>
/// Health endpoints under the reserved prefix. live is trivial on purpose (the process answers HTTP);
/// ready exercises libvips for real, because a proxy whose engine is broken should leave the load balancer.
/// Neither reveals folder roots, base URLs or tokens: only source names.
/// </summary>
public static class OpsEndpoints
{
    public const string Prefix = SourcesFile.ReservedPrefix;

    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var ops = endpoints.MapGroup(Prefix);
        ops.MapMethods("/health/live", [HttpMethods.Get, HttpMethods.Head], () => Results.Text("ok"));
        ops.MapMethods("/health/ready", [HttpMethods.Get, HttpMethods.Head], ReadyAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(
        SourceRegistry registry, FaceFinder faces, IOptions<ProxyOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.HealthProbeTimeoutSeconds);
        string? failure = null;
        try
        {
            if (!await Task.Run(VipsRuntime.HealthProbe, CancellationToken.None).WaitAsync(timeout, cancellationToken))
            {
                failure = "probe returned false";
            }
        }
        catch (TimeoutException)
        {
            failure = $"probe did not finish within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex.GetType().Name;
        }

        if (failure is not null)
        {
            Log.HealthProbeFailed(loggers.CreateLogger(typeof(OpsEndpoints).FullName!), failure);
            return Results.Json(new { status = "unavailable", reason = "libvips health probe failed" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // A detector that cannot load fails readiness (never a request) while a source still wants it.
        var detecting = registry.Sources.Any(s => s.Definition.FaceDetection);
        if (detecting && await Task.Run(() => faces.LoadError, CancellationToken.None) is { } faceFailure)
        {
            Log.HealthProbeFailed(loggers.CreateLogger(typeof(OpsEndpoints).FullName!), faceFailure);
            return Results.Json(new { status = "unavailable", reason = "face detector could not be loaded" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(new
        {
            status = "ready",
            libvips = new
            {
                version = VipsRuntime.Version,
                libraryPath = VipsRuntime.LibraryPath,
                loaders = Capabilities.Loaders(),
                savers = Capabilities.Savers(),
            },
            faces = detecting ? FaceDetector.Name : "off",
            sources = registry.Sources.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray(),
        });
    }
}
