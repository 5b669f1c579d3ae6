using ImageProxy.Server.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ImageProxy.Server.Http;

/// <summary>
/// Writes a <see cref="ServerError"/> as the answer: its status and public message as a short ProblemDetails body,
/// never a stack trace (<see cref="ServerError.From(Exception)"/> decides what is public).
/// </summary>
public static class ErrorResults
{
    /// <summary>Writes a short ProblemDetails response (no body for HEAD) and counts a load-shedding answer.</summary>
    public static Task WriteAsync(HttpContext context, ServerError error)
    {
        CountRejection(context, error);
        var response = context.Response;
        response.StatusCode = error.Status;
        // Errors are not worth caching downstream: most are transient (5xx, 429) or fixed by editing the URL.
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (error.Status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers.RetryAfter = "1";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        var problem = new ProblemDetails
        {
            Status = error.Status,
            Title = error.PublicMessage,
            Extensions = { ["traceId"] = context.TraceIdentifier },
        };
        return response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
    }

    /// <summary>imageproxy_rejections_total, for answers that shed load (<see cref="ServerError.Rejection"/>).</summary>
    public static void CountRejection(HttpContext context, ServerError error)
    {
        if (error.Rejection is { } reason)
        {
            context.RequestServices?.GetService<ProxyMetrics>()?.Rejected(reason);
        }
    }
}
