using System.Diagnostics;
using System.Security.Cryptography;
using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server;

/// <summary>
/// Orchestrates one image request without any HttpContext: origin fetch → ETag from the cache key →
/// 304 if the client is current → render inside the processing gate. The HTTP layer only translates.
/// Failures are typed exceptions that <c>Http/ErrorResults</c> alone maps to statuses.
/// </summary>
public sealed class ImageService(ProcessingGate gate, IOptions<ProxyOptions> options, ILogger<ImageService> logger)
{
    public async Task<ImageResult> GetAsync(ImageRequest request, RequestTimings timings, CancellationToken cancellationToken)
    {
        var source = request.Source;
        var fetchStarted = Stopwatch.GetTimestamp();
        // No validators yet: without a result cache we hold no copy of the original to revalidate.
        var original = await source.Origin.FetchAsync(request.ObjectKey, OriginValidators.None, cancellationToken);
        timings.Origin = Stopwatch.GetElapsedTime(fetchStarted);

        switch (original.Status)
        {
            case OriginStatus.NotFound:
                throw new ObjectNotFoundException();
            case OriginStatus.NotModified:
                throw new OriginUnavailableException("Origin answered 304 Not Modified to an unconditional request.");
        }

        var bytes = original.Bytes!;
        Log.OriginFetched(logger, source.Name, bytes.Length, timings.Origin.TotalMilliseconds);

        // An origin without ETag or Last-Modified still gets a correct ETag: hash what it sent.
        var validator = original.Validator ?? Convert.ToHexStringLower(SHA256.HashData(bytes));
        var etag = $"\"{CacheKey.Compute(source.Name, request.ObjectKey, validator, request.Plan, request.Format.Format)}\"";

        if (request.Conditions.IsSatisfiedBy(etag, original.LastModified))
        {
            return new ImageResult(true, [], null, etag, original.LastModified, request.Format.AcceptMattered, 0, 0);
        }

        var rendered = await RenderAsync(bytes, request, timings, cancellationToken);
        return new ImageResult(
            false, rendered.Bytes, rendered.Format.ContentType(), etag, original.LastModified, request.Format.AcceptMattered, rendered.Width, rendered.Height);
    }

    private async Task<RenderResult> RenderAsync(byte[] original, ImageRequest request, RequestTimings timings, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var timeout = TimeSpan.FromSeconds(settings.ProcessingTimeoutSeconds);
        // One deadline for waiting in the queue and rendering: the client cares about the sum.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        var queued = Stopwatch.GetTimestamp();
        try
        {
            using var slot = await gate.EnterAsync(deadline.Token);
            timings.Queue = Stopwatch.GetElapsedTime(queued);

            var renderStarted = Stopwatch.GetTimestamp();
            try
            {
                // libvips work is synchronous and CPU-bound: run it on the pool, and wait for it to really
                // finish (CancellationToken.None) so the slot is never released while native code still runs.
                return await Task.Run(
                    () => PlanExecutor.Render(original, request.Plan, request.Format, request.Limits ?? settings.Limits, deadline.Token),
                    CancellationToken.None);
            }
            finally
            {
                timings.Render = Stopwatch.GetElapsedTime(renderStarted);
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProcessingTimeoutException(timeout, ex);
        }
    }
}
