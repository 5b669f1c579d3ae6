using ImageProxy.Imaging;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;

namespace ImageProxy.Server.Http;

/// <summary>
/// Every error answer the server gives, as one value: the status, the public message (the only text the client
/// sees: fixed texts or messages written for users, never an exception's detail, libvips' error text or a stack
/// trace), the level it is logged at (<see cref="LogLevel.None"/>: only the request line) and what only the log
/// sees. <see cref="From(Exception)"/> is the one mapping from a failure to all of these.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="PublicMessage">The ProblemDetails title.</param>
/// <param name="LogLevel">How loud the failure is in the log: refusals of a bad URL are quiet, origin and capacity trouble
/// warnings, anything unexpected an error with its stack trace.</param>
public sealed record ServerError(int Status, string PublicMessage, LogLevel LogLevel = LogLevel.None)
{
    public const string InternalErrorMessage = "internal error";

    /// <summary>What the log line says after the status; may hold an origin's address or libvips' text, never a secret.</summary>
    public string? Detail { get; init; }

    /// <summary>The failure itself, logged with its stack trace (unexpected failures only).</summary>
    public Exception? Exception { get; init; }

    /// <summary>The imageproxy_rejections_total reason (<see cref="RejectionReasons"/>) when this is a load-shedding answer.</summary>
    public string? Rejection { get; init; }

    /// <summary>A parse or plan refusal: the user's mistake, with the message written for them; only the request line logs it.</summary>
    public static ServerError From(TransformError refusal) => new(refusal.Status, refusal.Message);

    public static readonly ServerError UnknownSource = new(404, "Unknown source");
    public static readonly ServerError NotFound = new(404, "Not found");
    public static readonly ServerError Expired = new(410, "URL expired");
    public static readonly ServerError BadSignature = new(403, "Missing or invalid signature", LogLevel.Warning) { Detail = "missing or invalid signature" };

    public static readonly ServerError RateLimited =
        new(429, "Too many requests from this client; retry shortly") { Rejection = RejectionReasons.RateLimit };

    public static readonly ServerError RequestTimedOut = new(504, "The request took too long") { Rejection = RejectionReasons.RequestTimeout };

    public static ServerError UrlTooLong(int maxLength) => new(414, $"URL too long (at most {maxLength} characters)");

    /// <summary>The one mapping from a failure raised while serving an image to its answer and its log line.</summary>
    public static ServerError From(Exception exception) => exception switch
    {
        ImagingException imaging => new ServerError(imaging.Error.Status, imaging.Error.Message, LogLevel.Information)
        {
            Detail = imaging.InnerException?.Message ?? imaging.Message,
        },
        ObjectNotFoundException => NotFound with { LogLevel = LogLevel.Information, Detail = exception.Message },
        SourceTooLargeException tooLarge => new ServerError(413, tooLarge.Message, LogLevel.Information) { Detail = tooLarge.Message },
        OriginUnavailableException => new ServerError(502, "The origin failed to deliver the image", LogLevel.Warning) { Detail = exception.Message },
        OriginTimeoutException => new ServerError(504, "The origin did not answer in time", LogLevel.Warning) { Detail = exception.Message },
        ProcessingRejectedException => new ServerError(429, "Too many requests are being processed; retry shortly", LogLevel.Warning)
        {
            Detail = "the processing queue is full",
            Rejection = RejectionReasons.QueueFull,
        },
        ProcessingTimeoutException => new ServerError(503, "Processing the image took too long", LogLevel.Warning)
        {
            Detail = "the render exceeded the processing timeout",
            Rejection = RejectionReasons.RenderTimeout,
        },
        _ => new ServerError(500, InternalErrorMessage, LogLevel.Error) { Detail = "failed unexpectedly", Exception = exception },
    };

    /// <summary>Writes this error's log line, if it has one, for a request to <paramref name="source"/>.</summary>
    public void Log(ILogger logger, string source)
    {
        if (LogLevel != LogLevel.None)
        {
            Diagnostics.Log.RequestError(logger, LogLevel, Exception, source, Status, Detail ?? PublicMessage);
        }
    }

    // Records print every member; the exception's text is for the log line only.
    public override string ToString() => $"{Status} {PublicMessage}";
}
