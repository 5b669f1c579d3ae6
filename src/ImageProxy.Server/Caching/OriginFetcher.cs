using System.Diagnostics;
using System.Security.Cryptography;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Caching;

/// <summary>
/// The one way to an origin. Fetches of one object at one version are coalesced (one origin call however many
/// variants, or overlays, want it), conditional when a record is known, and the original is kept in the result
/// cache so the next variant of it needs no origin call. Every call is timed, counted (imageproxy_origin_*) and traced.
/// </summary>
/// <param name="store">Null when there is no result cache: nothing is kept and nothing is purged.</param>
public sealed class OriginFetcher(VariantStore? store, TimeProvider clock, ILogger<OriginFetcher> logger, ProxyMetrics? metrics)
{
    private readonly RequestCoalescer<OriginAnswer> _fetches = new();

    /// <summary>
    /// Asks the origin, conditionally when <paramref name="known"/> is given. A changed object yields a new record (so
    /// new variant keys) and its bytes, and its original is cached; 304 yields <paramref name="known"/> re-checked and no
    /// bytes; a missing object purges everything cached for it and throws <see cref="ObjectNotFoundException"/>.
    /// </summary>
    public async Task<OriginAnswer> FetchAsync(ImageSource source, string objectKey, ObjectRecord? known, RequestTimings timings)
    {
        var item = new SourceObject(source.Name, objectKey);
        var validators = known is null
            ? OriginValidators.None
            : new OriginValidators(known.ETag, known.ETag is null ? known.LastModified : null);
        var coalesceKey = $"{item.Hash}|{validators.IfNoneMatch}|{validators.IfModifiedSince?.UtcTicks}";
        var (answer, _) = await _fetches.RunAsync(coalesceKey, async () =>
        {
            var original = await CallOriginAsync(source, objectKey, validators, timings, CancellationToken.None);
            var now = clock.GetUtcNow();
            switch (original.Status)
            {
                case OriginStatus.NotFound:
                    // Gone at the origin: nothing cached for it may be served any more.
                    if (store is not null)
                    {
                        await store.PurgeAsync(item);
                    }

                    throw new ObjectNotFoundException();
                case OriginStatus.NotModified when known is not null:
                    return new OriginAnswer(known with { CheckedAt = now }, null);
                case OriginStatus.NotModified:
                    throw UnconditionalNotModified();
            }

            var bytes = original.Bytes!;
            Log.OriginFetched(logger, source.Name, bytes.Length, timings.Origin.TotalMilliseconds);
            var fresh = new ObjectRecord(ValidatorOf(original), original.ETag, original.LastModified, now);
            if (store is not null)
            {
                await store.StoreOriginalAsync(item, bytes, original.ContentType, fresh.Validator);
            }

            return new OriginAnswer(fresh, bytes);
        }, CancellationToken.None);
        return answer;
    }

    /// <summary>The bytes of the version <paramref name="record"/> names: the cached original, else an unconditional fetch (which may find a newer version).</summary>
    public async Task<(ObjectRecord Record, byte[] Bytes)> LoadAsync(ImageSource source, string objectKey, ObjectRecord record, RequestTimings timings)
    {
        if (store is not null && await store.ReadOriginalAsync(new SourceObject(source.Name, objectKey), record.Validator) is { } cached)
        {
            return (record, cached);
        }

        // Unconditional: a 304 cannot come back, so the answer has bytes.
        var answer = await FetchAsync(source, objectKey, null, timings);
        return (answer.Record, answer.Bytes!);
    }

    /// <summary>
    /// Any object of a source (an overlay, a mask), coalesced and cached like an original: a fresh record with its
    /// cached original costs no origin call, a stale one a conditional call. Throws as <see cref="FetchAsync"/> does.
    /// </summary>
    public async Task<byte[]> GetAsync(ImageSource source, string objectKey, RequestTimings timings, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return (await FetchOnceAsync(source, objectKey, timings, cancellationToken)).Bytes!;
        }

        var item = new SourceObject(source.Name, objectKey);
        var (record, _) = await store.ReadRecordAsync(item, cancellationToken);
        var maxAge = TimeSpan.FromSeconds(source.Definition.CacheMaxAge);
        if (record is not null && record.IsFreshAt(clock.GetUtcNow(), maxAge)
            && await store.ReadOriginalAsync(item, record.Validator) is { } cached)
        {
            return cached;
        }

        var (current, bytes) = await FetchAsync(source, objectKey, record, timings).WaitAsync(cancellationToken);
        if (bytes is null)
        {
            // 304: the version we know, whose original may have left the cache meanwhile.
            (current, bytes) = await LoadAsync(source, objectKey, current, timings).WaitAsync(cancellationToken);
        }

        if (!ReferenceEquals(current, record))
        {
            await store.WriteRecordAsync(item, current);
        }

        return bytes;
    }

    /// <summary>One unconditional fetch, neither coalesced nor kept (no result cache). 404 and a 304 throw as in <see cref="FetchAsync"/>.</summary>
    public async Task<OriginResult> FetchOnceAsync(ImageSource source, string objectKey, RequestTimings timings, CancellationToken cancellationToken)
    {
        var original = await CallOriginAsync(source, objectKey, OriginValidators.None, timings, cancellationToken);
        switch (original.Status)
        {
            case OriginStatus.NotFound:
                throw new ObjectNotFoundException();
            case OriginStatus.NotModified:
                throw UnconditionalNotModified();
        }

        Log.OriginFetched(logger, source.Name, original.Bytes!.Length, timings.Origin.TotalMilliseconds);
        return original;
    }

    /// <summary>What goes into variant keys for this version: the origin's ETag or Last-Modified, else (an origin that sends neither) a hash of the bytes, so the ETag is still correct.</summary>
    public static string ValidatorOf(OriginResult original) =>
        original.Validator ?? Convert.ToHexStringLower(SHA256.HashData(original.Bytes!));

    private static OriginUnavailableException UnconditionalNotModified() =>
        new("Origin answered 304 Not Modified to an unconditional request.");

    private async Task<OriginResult> CallOriginAsync(
        ImageSource source, string objectKey, OriginValidators validators, RequestTimings timings, CancellationToken cancellationToken)
    {
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.OriginSpan);
        span?.SetTag("imageproxy.source", source.Name);
        span?.SetTag("imageproxy.origin.conditional", validators != OriginValidators.None);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var original = await source.Origin.FetchAsync(objectKey, validators, cancellationToken);
            span?.SetTag("imageproxy.origin.status", original.Status.ToString());
            if (original.Status == OriginStatus.NotFound)
            {
                metrics?.OriginFailed(source.Name, "not_found");
            }

            return original;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex switch
            {
                OriginTimeoutException => "timeout",
                SourceTooLargeException => "too_large",
                OriginUnavailableException => "unavailable",
                _ => "other",
            };
            metrics?.OriginFailed(source.Name, reason);
            span?.SetStatus(ActivityStatusCode.Error, reason);
            throw;
        }
        finally
        {
            timings.Origin = Stopwatch.GetElapsedTime(started);
            metrics?.OriginFetched(source.Name, source.Definition.Kind.ToString().ToLowerInvariant(), timings.Origin);
        }
    }
}
