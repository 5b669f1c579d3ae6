using ImageProxy.Imaging;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Mvc;

namespace ImageProxy.Server.Http;

/// <summary>
/// The one place that decides an error's status and public message (design.md 3.8). Public messages are
/// fixed texts or TransformError messages, which are written for users; exception details, libvips error
/// text and stack traces only ever go to the log.
/// </summary>
public static class ErrorResults
{
    public const string InternalErrorMessage = "internal error";

    /// <summary>Status and public message for a failure raised while serving an image.</summary>
    public static TransformError Classify(Exception exception) => exception switch
    {
        ImagingException imaging => imaging.Error,
        ObjectNotFoundException => new TransformError(404, "Not found"),
        SourceTooLargeException tooLarge => new TransformError(413, tooLarge.Message),
        OriginUnavailableException => new TransformError(502, "The origin failed to deliver the image"),
        OriginTimeoutException => new TransformError(504, "The origin did not answer in time"),
        ProcessingRejectedException => new TransformError(429, "Too many requests are being processed; retry shortly"),
        ProcessingTimeoutException => new TransformError(503, "Processing the image took too long"),
        _ => new TransformError(500, InternalErrorMessage),
    };

    /// <summary>Writes a short ProblemDetails response (no body for HEAD).</summary>
    public static Task WriteAsync(HttpContext context, TransformError error)
    {
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
            Title = error.Message,
            Extensions = { ["traceId"] = context.TraceIdentifier },
        };
        return response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
    }
}
