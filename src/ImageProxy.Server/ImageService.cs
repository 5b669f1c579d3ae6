using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ImageProxy.Imaging;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server;

/// <summary>
/// Orchestrates one image request without any HttpContext. With the result cache on:
/// object record → cache key/ETag → 304 or tier hit while the record is fresh (no origin, no libvips);
/// otherwise one coalesced job per key: cross-node lock → revalidate with the origin → tier hit, or
/// cached original / origin fetch → render inside the processing gate → store. Failures are typed
/// exceptions that <c>Http/ErrorResults</c> alone maps to statuses.
/// </summary>
public sealed partial class ImageService(
    ProcessingGate gate,
    IOptions<ProxyOptions> options,
    ILogger<ImageService> logger,
    ImageRenderer? renderer = null,
    TimeProvider? clock = null,
    IOptions<CachingOptions>? cachingOptions = null,
    TieredCache? cache = null,
    RedisRenderLock? renderLock = null,
    ProxyMetrics? metrics = null)
{
    private static readonly TimeSpan RemoteResultPollInterval = TimeSpan.FromMilliseconds(25);
    private readonly ImageRenderer _render = renderer
        ?? ((source, plan, format, limits, _, overlays, cancellationToken) =>
            PlanExecutor.Render(source, plan, format, limits, EncoderSettings.Default, faces: null, overlays, cancellationToken));
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly CachingOptions _caching = cachingOptions?.Value ?? new CachingOptions();
    private readonly string _encoderPolicy = options.Value.Encoding.Policy;
    private readonly RequestCoalescer<ImageResult> _renders = new();
    private readonly RequestCoalescer<OriginAnswer> _originFetches = new();
    // The memory tier hands out the same record entry instance on every hit: parse its JSON once per instance.
    // Weak keys, so a record dropped by the tier takes its parsed form with it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<CacheEntry, ObjectRecord> _parsedRecords = new();

    private long _rendersRun;

    /// <summary>Renders this process has run (cache misses that reached libvips), for /_imageproxy/stats.</summary>
    public long Renders => Interlocked.Read(ref _rendersRun);

    /// <summary>False when every request renders (no tier configured, or ResultCache:Enabled=false).</summary>
    public bool CachesResults => cache is not null && _caching.ResultCache.Enabled;

    /// <summary>Jobs in flight, for tests: coalescing must leave none behind.</summary>
    internal int RendersInFlight => _renders.InFlight;

    /// <param name="handOffMiss">
    /// The cluster's hook: called on a miss with the variant's key (without the origin validator, so every node
    /// names the variant alike whatever record it holds); true when another node answered, and nothing is done here.
    /// </param>
    public async Task<ImageResult> GetAsync(
        ImageRequest request, RequestTimings timings, CancellationToken cancellationToken, Func<string, Task<bool>>? handOffMiss = null)
    {
        request = await WithOverlaysAsync(request, cancellationToken);
        if (cache is null || !_caching.ResultCache.Enabled)
        {
            return await GetUncachedAsync(request, timings, cancellationToken);
        }

        var sourceObject = new SourceObject(request.Source.Name, request.ObjectKey);
        var (record, recordTier) = await ReadRecordAsync(sourceObject, cancellationToken);
        // The variant's key under the record we have; also the key of the job that would produce it.
        var key = KeyFor(request, record?.Validator);
        if (record is not null && record.IsFreshAt(_clock.GetUtcNow(), MaxAge(request)))
        {
            // The hit path: neither the origin nor libvips is touched.
            if (request.Conditions.IsSatisfiedBy(Quote(key), record.LastModified))
            {
                // Decided from the record alone: that is the tier that answered.
                return NotModified(request, sourceObject, key, record.LastModified) with { Tier = recordTier };
            }

            var (entry, tier) = await cache.GetWithTierAsync(sourceObject, key, cancellationToken);
            if (entry is not null)
            {
                return FromEntry(request, sourceObject, entry, record, tier);
            }
        }
        else if (record is not null
            && await StaleVariantAsync(request, sourceObject, record, _caching.ResultCache.StaleWhileRevalidateSeconds) is { } stale)
        {
            // stale-while-revalidate: answer now with what we have; the revalidation this request would have
            // waited for runs as the same coalesced job, so a burst of such requests still asks the origin once.
            RevalidateInBackground(request, sourceObject, record, key);
            return ForThisCaller(request, stale);
        }

        if (handOffMiss is not null && await handOffMiss(KeyFor(request, validator: null)))
        {
            return ImageResult.HandedOffToOwner;
        }

        var (result, _) = await _renders.RunAsync(
            key, () => ProduceAsync(request, sourceObject, record, key, timings), cancellationToken);
        return ForThisCaller(request, result);
    }

    // A job's result is shared, this caller's conditions are not.
    private static ImageResult ForThisCaller(ImageRequest request, ImageResult result) =>
        !result.NotModified && request.Conditions.IsSatisfiedBy(result.ETag, result.LastModified)
            ? result with { NotModified = true, Body = ReadOnlyMemory<byte>.Empty }
            : result;

    /// <summary>
    /// The job a synchronous request would have run (revalidate, then hit or render, store, refresh the record),
    /// detached from the request: no caller waits for it or can cancel it, and its failures are logged here
    /// (an origin failure already ends in stale-if-error inside the job).
    /// </summary>
    /// <remarks>
    /// Joined or registered before this returns (the coalescer yields before running a job), so the requests of
    /// one stale burst share one revalidation however the thread pool schedules them.
    /// </remarks>
    private void RevalidateInBackground(ImageRequest request, SourceObject sourceObject, ObjectRecord record, string jobKey) =>
        _ = ObserveAsync(
            _renders.RunAsync(jobKey, () => ProduceAsync(request, sourceObject, record, jobKey, new RequestTimings()), CancellationToken.None),
            request.Source.Name);

    private async Task ObserveAsync(Task revalidation, string sourceName)
    {
        try
        {
            await revalidation;
        }
        catch (ObjectNotFoundException)
        {
            // Deleted at the origin: the job purged its variants, so the next request gets the 404.
        }
        catch (Exception ex)
        {
            Log.BackgroundRevalidationFailed(logger, sourceName, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>The coalesced job: lets one node render for all when Redis is shared, else renders here.</summary>
    private async Task<ImageResult> ProduceAsync(
        ImageRequest request, SourceObject sourceObject, ObjectRecord? record, string jobKey, RequestTimings timings)
    {
        RenderLease? lease = null;
        if (renderLock is not null && cache!.HasSharedTier)
        {
            var settings = _caching.ResultCache;
            lease = await renderLock.TryAcquireAsync(jobKey, TimeSpan.FromMilliseconds(settings.RenderLockMilliseconds));
            if (lease is null)
            {
                return await WaitForOtherNodeAsync(request, sourceObject, record, TimeSpan.FromMilliseconds(settings.RenderLockWaitMilliseconds))
                    ?? await ProduceLocallyAsync(request, sourceObject, record, timings);
            }
        }

        try
        {
            // Double-checked under the lock: the caller read the record before this job started, and the job that
            // served the others (on this node or another) may have finished and released the lock in between; the
            // lock being free says nothing about the result. Without this look a late caller fetched and rendered again.
            return await ProducedMeanwhileAsync(request, sourceObject, record)
                ?? await ProduceLocallyAsync(request, sourceObject, record, timings);
        }
        finally
        {
            if (lease is not null)
            {
                await renderLock!.ReleaseAsync(lease);
            }
        }
    }

    /// <summary>
    /// Another node holds the render lock: poll for its result. Null when the holder is too slow; the caller then
    /// renders itself.
    /// </summary>
    private async Task<ImageResult?> WaitForOtherNodeAsync(ImageRequest request, SourceObject sourceObject, ObjectRecord? known, TimeSpan wait)
    {
        // Real elapsed time, not the injectable clock: this bounds an actual wait.
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < wait)
        {
            await Task.Delay(RemoteResultPollInterval);
            if (await ProducedMeanwhileAsync(request, sourceObject, known) is { } theirs)
            {
                return theirs;
            }
        }

        return null;
    }

    /// <summary>
    /// The variant, when another job has produced it since the caller read <paramref name="known"/>: under a newer
    /// record (the other job fetched or revalidated; with shared Redis that record is read from Redis, where another
    /// node writes it), or under <paramref name="known"/> while that is still fresh (the other job only rendered,
    /// so it had no new record to write). Null when there is nothing yet.
    /// </summary>
    private async Task<ImageResult?> ProducedMeanwhileAsync(ImageRequest request, SourceObject sourceObject, ObjectRecord? known)
    {
        var latest = cache!.HasSharedTier
            ? ParseRecord(await cache.GetSharedAsync(sourceObject, CacheAddresses.Record, CancellationToken.None))
            : (await ReadRecordAsync(sourceObject, CancellationToken.None)).Record;
        var isNewer = latest is not null
            && (known is null || latest.CheckedAt > known.CheckedAt || latest.Validator != known.Validator);
        var record = isNewer ? latest
            : known is not null && known.IsFreshAt(_clock.GetUtcNow(), MaxAge(request)) ? known
            : null;
        if (record is null)
        {
            return null;
        }

        var (entry, tier) = await cache.GetWithTierAsync(sourceObject, KeyFor(request, record.Validator), CancellationToken.None);
        if (entry is null)
        {
            return null;
        }

        if (isNewer && cache.HasSharedTier)
        {
            // Read from Redis only: this node's own tiers learn it too.
            await WriteRecordAsync(sourceObject, record);
        }

        return FromEntry(request, sourceObject, entry, record, tier);
    }

    private async Task<ImageResult> ProduceLocallyAsync(ImageRequest request, SourceObject sourceObject, ObjectRecord? record, RequestTimings timings)
    {
        var maxAge = MaxAge(request);
        var current = record;
        byte[]? originalBytes = null;
        var askedOrigin = false;
        if (record is null || !record.IsFreshAt(_clock.GetUtcNow(), maxAge))
        {
            try
            {
                var answer = await FetchFromOriginAsync(request, sourceObject, record, timings);
                current = answer.Record;
                originalBytes = answer.Bytes;
                askedOrigin = true;
            }
            catch (Exception ex) when (record is not null && ex is OriginUnavailableException or OriginTimeoutException)
            {
                if (await StaleVariantAsync(request, sourceObject, record, _caching.ResultCache.StaleIfErrorSeconds) is not { } stale)
                {
                    throw;
                }

                Log.StaleServedOnOriginError(logger, request.Source.Name, ex.Message);
                return stale;
            }
        }

        var key = KeyFor(request, current!.Validator);
        var (entry, tier) = await cache!.GetWithTierAsync(sourceObject, key, CancellationToken.None);
        if (entry is null)
        {
            if (originalBytes is null)
            {
                (current, originalBytes) = await LoadOriginalAsync(request, sourceObject, current, timings);
                key = KeyFor(request, current.Validator);
            }

            var rendered = await RenderAsync(originalBytes, request, timings, CancellationToken.None);
            entry = CacheEntry.Create(
                key, CacheEntryKind.Result, rendered.Bytes, rendered.ContentType, current.Validator,
                _clock.GetUtcNow(), TimeSpan.FromSeconds(_caching.ResultCache.ResultLifetimeSeconds), rendered.Width, rendered.Height,
                rendered.Quality, rendered.ShrunkForBudget);
            tier = CacheTier.None;
            // Result before record: another node that sees the new record must find the result too.
            await cache.SetAsync(sourceObject, entry, CancellationToken.None);
        }

        if (!ReferenceEquals(current, record))
        {
            await WriteRecordAsync(sourceObject, current);
        }

        // The origin said 304 and a tier still had the variant: neither bytes nor a render were needed.
        var revalidated = askedOrigin && originalBytes is null && tier != CacheTier.None;
        return FromEntry(request, sourceObject, entry, current, tier) with { Revalidated = revalidated };
    }

    /// <summary>
    /// The variant the old record points at, while within max-age + <paramref name="windowSeconds"/>
    /// (stale-while-revalidate or stale-if-error); null past it or when the cache no longer has the variant.
    /// </summary>
    /// <remarks>
    /// A stale answer tells caches after us not to keep it (<see cref="ImageResult.Stale"/> → max-age=0, no
    /// s-maxage): a CDN holding it for the source's full max-age would serve the old image long after we know better.
    /// </remarks>
    private async Task<ImageResult?> StaleVariantAsync(ImageRequest request, SourceObject sourceObject, ObjectRecord record, long windowSeconds)
    {
        if (windowSeconds <= 0 || _clock.GetUtcNow() >= record.CheckedAt + MaxAge(request) + TimeSpan.FromSeconds(windowSeconds))
        {
            return null;
        }

        var (entry, tier) = await cache!.GetWithTierAsync(sourceObject, KeyFor(request, record.Validator), CancellationToken.None);
        return entry is null
            ? null
            : FromEntry(request, sourceObject, entry, record, tier) with { Stale = true, Cached = null, SharedCacheDirectives = SharedCacheDirectives(request, stale: true) };
    }

    /// <summary>
    /// Asks the origin, conditionally when a record exists; one call per object at a time however many
    /// variants want it. A changed object yields a new record (so new keys) and its bytes.
    /// </summary>
    private async Task<OriginAnswer> FetchFromOriginAsync(ImageRequest request, SourceObject sourceObject, ObjectRecord? record, RequestTimings timings)
    {
        var validators = record is null
            ? OriginValidators.None
            : new OriginValidators(record.ETag, record.ETag is null ? record.LastModified : null);
        var coalesceKey = $"{sourceObject.Hash}|{validators.IfNoneMatch}|{validators.IfModifiedSince?.UtcTicks}";
        var (answer, _) = await _originFetches.RunAsync(coalesceKey, async () =>
        {
            var original = await FetchOriginAsync(request, validators, timings, CancellationToken.None);
            var now = _clock.GetUtcNow();
            switch (original.Status)
            {
                case OriginStatus.NotFound:
                    // Gone at the origin: nothing cached for it may be served any more.
                    await cache!.PurgeAsync(sourceObject, CancellationToken.None);
                    throw new ObjectNotFoundException();
                case OriginStatus.NotModified when record is not null:
                    return new OriginAnswer(record with { CheckedAt = now }, null);
                case OriginStatus.NotModified:
                    throw new OriginUnavailableException("Origin answered 304 Not Modified to an unconditional request.");
            }

            var bytes = original.Bytes!;
            Log.OriginFetched(logger, request.Source.Name, bytes.Length, timings.Origin.TotalMilliseconds);
            var fresh = new ObjectRecord(ValidatorOf(original), original.ETag, original.LastModified, now);
            await cache!.SetAsync(sourceObject, CacheEntry.Create(
                CacheAddresses.Original, CacheEntryKind.Original, bytes, original.ContentType, fresh.Validator, now,
                TimeSpan.FromSeconds(_caching.ResultCache.OriginalLifetimeSeconds)), CancellationToken.None);
            return new OriginAnswer(fresh, bytes);
        }, CancellationToken.None);
        return answer;
    }

    /// <summary>The cached original when it is the version the record names; otherwise an unconditional fetch.</summary>
    private async Task<(ObjectRecord Record, byte[] Bytes)> LoadOriginalAsync(
        ImageRequest request, SourceObject sourceObject, ObjectRecord record, RequestTimings timings)
    {
        var cached = await cache!.GetAsync(sourceObject, CacheAddresses.Original, CancellationToken.None);
        if (cached is not null && cached.Metadata.OriginValidator == record.Validator)
        {
            return (record, cached.Body.ToArray());
        }

        var answer = await FetchFromOriginAsync(request, sourceObject, null, timings);
        return (answer.Record, answer.Bytes!);
    }

    private async ValueTask<(ObjectRecord? Record, CacheTier Tier)> ReadRecordAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        var (entry, tier) = await cache!.GetWithTierAsync(sourceObject, CacheAddresses.Record, cancellationToken);
        if (entry is null)
        {
            return (null, CacheTier.None);
        }

        if (_parsedRecords.TryGetValue(entry, out var known))
        {
            return (known, tier);
        }

        var parsed = ParseRecord(entry);
        if (parsed is not null)
        {
            _parsedRecords.AddOrUpdate(entry, parsed);
        }

        return (parsed, tier);
    }

    private static ObjectRecord? ParseRecord(CacheEntry? entry)
    {
        if (entry is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(entry.Body.Span, CacheJson.Default.ObjectRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task WriteRecordAsync(SourceObject sourceObject, ObjectRecord record)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(record, CacheJson.Default.ObjectRecord);
        // Kept as long as the variants it keys, so a restart or a stale period still finds them.
        var entry = CacheEntry.Create(
            CacheAddresses.Record, CacheEntryKind.Record, body, "application/json", record.Validator, _clock.GetUtcNow(),
            TimeSpan.FromSeconds(_caching.ResultCache.ResultLifetimeSeconds));
        return cache!.SetAsync(sourceObject, entry, CancellationToken.None);
    }

    private ImageResult FromEntry(ImageRequest request, SourceObject sourceObject, CacheEntry entry, ObjectRecord record, CacheTier tier) =>
        new(false, entry.Body, entry.Metadata.ContentType, Quote(entry.Metadata.Key), record.LastModified, request.Format.AcceptMattered,
            entry.Metadata.Width, entry.Metadata.Height)
        {
            Quality = entry.Metadata.Quality,
            ShrunkForBudget = entry.Metadata.ShrunkForBudget,
            Tier = tier,
            Cached = new CacheLocation(sourceObject, entry.Metadata.Key, record.CheckedAt + MaxAge(request)),
            SurrogateKeys = sourceObject.SurrogateKeys,
            SharedCacheDirectives = SharedCacheDirectives(request),
        };

    private ImageResult NotModified(ImageRequest request, SourceObject sourceObject, string key, DateTimeOffset? lastModified) =>
        new(true, ReadOnlyMemory<byte>.Empty, null, Quote(key), lastModified, request.Format.AcceptMattered, 0, 0)
        {
            SurrogateKeys = sourceObject.SurrogateKeys,
            SharedCacheDirectives = SharedCacheDirectives(request),
        };

    /// <summary>
    /// s-maxage (not for a stale answer), stale-while-revalidate, stale-if-error; none of the stale grants for a
    /// URL that expires.
    /// </summary>
    private string? SharedCacheDirectives(ImageRequest request, bool stale = false)
    {
        var settings = _caching.ResultCache;
        var parts = new List<string>(3);
        if (!stale && settings.SharedMaxAgeSeconds is { } shared)
        {
            var remaining = request.Plan.Expires is { } expires ? expires - _clock.GetUtcNow().ToUnixTimeSeconds() : shared;
            parts.Add($"s-maxage={Math.Clamp(remaining, 0, shared).ToString(CultureInfo.InvariantCulture)}");
        }

        if (request.Plan.Expires is null)
        {
            if (settings.StaleWhileRevalidateSeconds > 0)
            {
                parts.Add($"stale-while-revalidate={settings.StaleWhileRevalidateSeconds.ToString(CultureInfo.InvariantCulture)}");
            }

            if (settings.StaleIfErrorSeconds > 0)
            {
                parts.Add($"stale-if-error={settings.StaleIfErrorSeconds.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private string KeyFor(ImageRequest request, string? validator) =>
        CacheKey.Compute(request.Source.Name, request.ObjectKey, validator, request.Plan, request.Format.Format, RenderPolicy(request));

    // What shapes the output besides the URL: the source's effective output limits and the encoder settings.
    private string RenderPolicy(ImageRequest request) =>
        request.Source.Definition.Limits.OutputPolicy + ";" + _encoderPolicy
        // A source that switches detection off renders face parameters differently: another variant.
        + (request.Plan.NeedsFaces && !request.Source.Definition.FaceDetection ? ";faces=off" : "")
        // auto=format serves an animated source WebP or GIF whatever the still format is: both decide the bytes.
        + (request.Format.AnimatedFormat is { } animated ? ";anim=" + animated.Extension() : string.Empty)
        + request.Overlays?.KeyPart;

    private static TimeSpan MaxAge(ImageRequest request) => TimeSpan.FromSeconds(request.Source.Definition.CacheMaxAge);

    private static string Quote(string key) => $"\"{key}\"";

    // An origin without ETag or Last-Modified still gets a correct ETag: hash what it sent.
    private static string ValidatorOf(OriginResult original) =>
        original.Validator ?? Convert.ToHexStringLower(SHA256.HashData(original.Bytes!));

    /// <summary>Result cache off: fetch and render every time (what the cache-miss benchmarks measure).</summary>
    private async Task<ImageResult> GetUncachedAsync(ImageRequest request, RequestTimings timings, CancellationToken cancellationToken)
    {
        var source = request.Source;
        var original = await FetchOriginAsync(request, OriginValidators.None, timings, cancellationToken);

        switch (original.Status)
        {
            case OriginStatus.NotFound:
                throw new ObjectNotFoundException();
            case OriginStatus.NotModified:
                throw new OriginUnavailableException("Origin answered 304 Not Modified to an unconditional request.");
        }

        var bytes = original.Bytes!;
        Log.OriginFetched(logger, source.Name, bytes.Length, timings.Origin.TotalMilliseconds);

        var etag = Quote(KeyFor(request, ValidatorOf(original)));
        // Without a result cache of our own, the CDN in front still gets the same directives and purge tags.
        var surrogateKeys = new SourceObject(source.Name, request.ObjectKey).SurrogateKeys;
        if (request.Conditions.IsSatisfiedBy(etag, original.LastModified))
        {
            return new ImageResult(true, ReadOnlyMemory<byte>.Empty, null, etag, original.LastModified, request.Format.AcceptMattered, 0, 0)
            {
                SurrogateKeys = surrogateKeys,
                SharedCacheDirectives = SharedCacheDirectives(request),
            };
        }

        var rendered = await RenderAsync(bytes, request, timings, cancellationToken);
        return new ImageResult(
            false, rendered.Bytes, rendered.ContentType, etag, original.LastModified, request.Format.AcceptMattered, rendered.Width, rendered.Height)
        {
            Quality = rendered.Quality,
            ShrunkForBudget = rendered.ShrunkForBudget,
            SurrogateKeys = surrogateKeys,
            SharedCacheDirectives = SharedCacheDirectives(request),
        };
    }

    /// <summary>The one place the origin is called: times it, counts its failures (imageproxy_origin_*) and traces it.</summary>
    private async Task<OriginResult> FetchOriginAsync(ImageRequest request, OriginValidators validators, RequestTimings timings, CancellationToken cancellationToken)
    {
        var source = request.Source.Name;
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.OriginSpan);
        span?.SetTag("imageproxy.source", source);
        span?.SetTag("imageproxy.origin.conditional", validators != OriginValidators.None);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var original = await request.Source.Origin.FetchAsync(request.ObjectKey, validators, cancellationToken);
            span?.SetTag("imageproxy.origin.status", original.Status.ToString());
            if (original.Status == OriginStatus.NotFound)
            {
                metrics?.OriginFailed(source, "not_found");
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
            metrics?.OriginFailed(source, reason);
            span?.SetStatus(ActivityStatusCode.Error, reason);
            throw;
        }
        finally
        {
            timings.Origin = Stopwatch.GetElapsedTime(started);
            metrics?.OriginFetched(source, request.Source.Definition.Kind.ToString().ToLowerInvariant(), timings.Origin);
        }
    }

    private async Task<RenderResult> RenderAsync(byte[] original, ImageRequest request, RequestTimings timings, CancellationToken cancellationToken)
    {
        using var span = ProxyTracing.Source.StartActivity(ProxyTracing.RenderSpan);
        var settings = options.Value;
        var timeout = TimeSpan.FromSeconds(settings.ProcessingTimeoutSeconds);
        // One deadline for waiting in the queue and rendering: the client cares about the sum.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        var overlays = await LoadOverlaysAsync(request);
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
                    () => _render(original, request.Plan, request.Format, request.Source.Definition.Limits, request.Source.Definition.FaceDetection, overlays, deadline.Token),
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
