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
/// that went away. The image endpoint answers a cancelled request with 499 and no body (nobody to talk to); when
/// it was our deadline and not the client, that becomes a 504 here.
/// </remarks>
public static class RequestDeadline
{
    /// <summary>The status ImageEndpoints records for a request whose token was cancelled.</summary>
    private const int ClientClosedRequest = 499;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next, TimeSpan timeout)
    {
        var clientAborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(timeout);
        context.RequestAborted = deadline.Token;

        var timedOut = false;
        try
        {
            await next(context);
            timedOut = deadline.IsCancellationRequested && context.Response.StatusCode == ClientClosedRequest;
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
            context.RequestServices.GetService<Diagnostics.ProxyMetrics>()?.Rejected(Diagnostics.RejectionReasons.RequestTimeout);
            context.Response.Clear();
            await ErrorResults.WriteAsync(context, new TransformError(StatusCodes.Status504GatewayTimeout, "The request took too long"));
        }
    }
}
