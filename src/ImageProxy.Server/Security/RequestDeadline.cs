using ImageProxy.Server.Http;
using ImageProxy.Transform;

namespace ImageProxy.Server.Security;

/// <summary>
/// The "total" timeout: one budget for the whole request (origin fetch, queue, render, write), on top of the
/// per-phase ones (the web source's timeoutSeconds and ProcessingTimeoutSeconds). The phases are bounded one by
/// one, but a slow folder read, a long queue wait and a render that each stay just inside their own limit could
/// still hold a connection and a slot for their sum; this caps that sum.
/// </summary>
/// <remarks>
/// It works by replacing <see cref="HttpContext.RequestAborted"/> with a token that also fires at the deadline,
/// so every await and every between-step check downstream sees the same cancellation it would see for a client
/// that went away. The image endpoint records a cancelled request's status with <see cref="CancelledStatus"/> (499 for
/// a client that left, 504 for this deadline) and writes no body, since the token it would write with has fired; the
/// 504's body is written here, once the client's own token is back. So the request log and the response agree.
/// </remarks>
public static class RequestDeadline
{
    /// <summary>nginx's "client closed request": a log-only status, nobody receives it.</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>The status to record for a request whose <see cref="HttpContext.RequestAborted"/> fired.</summary>
    public static int CancelledStatus(HttpContext context) =>
        context.Features.Get<Deadline>() is { Expired: true } ? StatusCodes.Status504GatewayTimeout : ClientClosedRequest;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, TimeSpan timeout)
    {
        var clientAborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(timeout);
        context.RequestAborted = deadline.Token;
        context.Features.Set(new Deadline(deadline, clientAborted));

        var timedOut = false;
        try
        {
            await next(context);
            timedOut = deadline.IsCancellationRequested && context.Response.StatusCode == StatusCodes.Status504GatewayTimeout;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !clientAborted.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }

        if (timedOut && !clientAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await ErrorResults.WriteAsync(context, ServerError.RequestTimedOut);
        }
    }

    /// <summary>This request's deadline, for <see cref="CancelledStatus"/>.</summary>
    private sealed class Deadline(CancellationTokenSource timer, CancellationToken clientAborted)
    {
        /// <summary>The deadline fired and the client is still there.</summary>
        public bool Expired => timer.IsCancellationRequested && !clientAborted.IsCancellationRequested;
    }
}
