using System.Diagnostics;
using ImageProxy.Imaging;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Transform;

namespace ImageProxy.Server;

/// <summary>
/// Where a render waits and runs: a slot in the <see cref="ProcessingGate"/>, one deadline for the wait and the
/// render together, and the hop onto the thread pool for libvips' synchronous work. Counts the renders it ran.
/// </summary>
public sealed class RenderQueue(ProcessingGate gate, ImageRenderer render, TimeSpan timeout, ProxyMetrics? metrics)
{
    private long _rendersRun;

    /// <summary>Renders this process has run (requests that reached libvips), for /_imageproxy/stats.</summary>
    public long Renders => Interlocked.Read(ref _rendersRun);

    /// <summary>
    /// Renders <paramref name="original"/> as the request asks. Throws <see cref="ProcessingRejectedException"/> when the
    /// queue is full and <see cref="ProcessingTimeoutException"/> when waiting plus rendering outlasts the timeout.
    /// </summary>
    public async Task<RenderResult> RenderAsync(
        byte[] original, ImageRequest request, OverlayImages? overlays, RequestTimings timings, CancellationToken cancellationToken)
    {
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.RenderSpan);
        // One deadline for waiting in the queue and rendering: the client cares about the sum.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        var queued = Stopwatch.GetTimestamp();
        try
        {
            using var slot = await gate.EnterAsync(deadline.Token);
            timings.Queue = Stopwatch.GetElapsedTime(queued);

            var renderStarted = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _rendersRun);
            try
            {
                // libvips work is synchronous and CPU-bound: run it on the pool, and wait for it to really
                // finish (CancellationToken.None) so the slot is never released while native code still runs.
                var rendered = await Task.Run(
                    () => render(original, request.Plan, request.Format, request.Source.Definition.Limits, request.Source.Definition.FaceDetection, overlays, deadline.Token),
                    CancellationToken.None);
                var format = rendered.Format.ToString().ToLowerInvariant();
                metrics?.Rendered(format, Stopwatch.GetElapsedTime(renderStarted));
                span?.SetTag("imageproxy.format", format);
                span?.SetTag("imageproxy.bytes", rendered.Bytes.Length);
                return rendered;
            }
            finally
            {
                timings.Render = Stopwatch.GetElapsedTime(renderStarted);
                span?.SetTag("imageproxy.queue_ms", timings.Queue.TotalMilliseconds);
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProcessingTimeoutException(timeout, ex);
        }
    }
}
