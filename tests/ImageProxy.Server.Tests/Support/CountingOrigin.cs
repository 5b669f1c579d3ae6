using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests;

/// <summary>An origin holding one mutable object; counts full and conditional fetches and can be told to fail or stall.</summary>
internal sealed class CountingOrigin : IOrigin
{
    private int _fetches;
    private int _conditionalFetches;

    public byte[] Bytes { get; set; } = [1, 2, 3, 4, 5];

    public string? ETag { get; set; } = "\"v1\"";

    public bool Missing { get; set; }

    /// <summary>When set, fetches throw it (an origin outage).</summary>
    public Exception? Failure { get; set; }

    public TimeSpan Delay { get; set; }

    public int Fetches => Volatile.Read(ref _fetches);

    public int ConditionalFetches => Volatile.Read(ref _conditionalFetches);

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        if (validators.IfNoneMatch is not null || validators.IfModifiedSince is not null)
        {
            Interlocked.Increment(ref _conditionalFetches);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        if (Missing)
        {
            return OriginResult.NotFound;
        }

        return validators.IfNoneMatch is not null && validators.IfNoneMatch == ETag
            ? OriginResult.NotModified(ETag, null)
            : OriginResult.Ok(Bytes, ETag, null, "image/jpeg");
    }
}
