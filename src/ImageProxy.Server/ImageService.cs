using ImageProxy.Imaging;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Overlays;

namespace ImageProxy.Server;

/// <summary>
/// One image request without any HttpContext: key → store → coalesce(fetch → render → store).
/// The variant's key comes from the object record (<see cref="VariantStore"/>); while the record is fresh the store
/// answers (a 304 or a tier hit, no origin, no libvips); otherwise one coalesced job per key, wrapped in the
/// <see cref="CrossNodeLock"/>, revalidates through the <see cref="OriginFetcher"/>, renders in the
/// <see cref="RenderQueue"/> and stores. Without a result cache (<c>store</c> null) every request fetches and renders.
/// Failures are typed exceptions that <c>Http/ErrorResults</c> alone maps to statuses.
/// </summary>
public sealed class ImageService(
    CachePolicy policy, VariantStore? store, OriginFetcher origins, OverlayResolver overlays, RenderQueue renders, CrossNodeLock crossNode,
    ILogger<ImageService> logger)
{
    private readonly RequestCoalescer<ImageResult> _jobs = new();

    /// <summary>Renders this process has run (cache misses that reached libvips), for /_imageproxy/stats.</summary>
    public long Renders => renders.Renders;

    /// <summary>False when every request renders (no tier configured, or ResultCache:Enabled=false).</summary>
    public bool CachesResults => store is not null;

    /// <summary>Jobs in flight, for tests: coalescing must leave none behind.</summary>
    internal int RendersInFlight => _jobs.InFlight;

    /// <param name="handOffMiss">
    /// The cluster's hook: called on a miss with the variant's key (without the origin validator, so every node
    /// names the variant alike whatever record it holds); true when another node answered, and nothing is done here.
    /// </param>
    public async Task<ImageResult> GetAsync(
        ImageRequest request, RequestTimings timings, CancellationToken cancellationToken, Func<string, Task<bool>>? handOffMiss = null)
    {
        // The overlays' versions first: they are part of the variant's key.
        request = await overlays.ResolveAsync(request, cancellationToken);
        return store is null
            ? await GetUncachedAsync(request, timings, cancellationToken)
            : await GetCachedAsync(store, request, timings, cancellationToken, handOffMiss);
    }

    private async Task<ImageResult> GetCachedAsync(
        VariantStore store, ImageRequest request, RequestTimings timings, CancellationToken cancellationToken, Func<string, Task<bool>>? handOffMiss)
    {
        // key: the variant under the record we have, also the key of the job that would produce it.
        var item = new SourceObject(request.Source.Name, request.ObjectKey);
        var (record, recordTier) = await store.ReadRecordAsync(item, cancellationToken);
        var key = policy.KeyFor(request, record?.Validator);

        // store: while the record is fresh, neither the origin nor libvips is touched.
        if (record is not null && policy.IsFresh(record, request))
        {
            // Decided from the record alone: that is the tier that answered.
            if (Validators(request, key, record.LastModified).For(request.Conditions) is { NotModified: true } notModified)
            {
                return notModified with { Tier = recordTier, SurrogateKeys = item.SurrogateKeys, Grants = policy.Grants };
            }

            var (entry, tier) = await store.GetVariantAsync(item, key, cancellationToken);
            if (entry is not null)
            {
                return FromEntry(request, item, entry, record, tier);
            }
        }
        else if (record is not null
            && await StaleVariantAsync(store, request, item, record, policy.Settings.StaleWhileRevalidateSeconds) is { } stale)
        {
            // stale-while-revalidate: answer now with what we have; the revalidation this request would have
            // waited for runs as the same coalesced job, so a burst of such requests still asks the origin once.
            RevalidateInBackground(store, request, item, record, key);
            return stale.For(request.Conditions);
        }

        if (handOffMiss is not null && await handOffMiss(policy.KeyFor(request, validator: null)))
        {
            return ImageResult.HandedOffToOwner;
        }

        // coalesce(fetch → render → store)
        var (result, _) = await _jobs.RunAsync(key, () => JobAsync(store, request, item, record, key, timings), cancellationToken);
        return result.For(request.Conditions);
    }

    /// <summary>The coalesced job: one node runs it for all when Redis is shared; it first looks whether another job already has.</summary>
    private Task<ImageResult> JobAsync(VariantStore store, ImageRequest request, SourceObject item, ObjectRecord? record, string key, RequestTimings timings) =>
        crossNode.RunAsync(
            key,
            () => ProducedMeanwhileAsync(store, request, item, record),
            () => ProduceAsync(store, request, item, record, timings));

    /// <summary>
    /// The job a synchronous request would have run (revalidate, then hit or render, store, refresh the record),
    /// detached from the request: no caller waits for it or can cancel it, and its failures are logged here
    /// (an origin failure already ends in stale-if-error inside the job).
    /// </summary>
    /// <remarks>
    /// Joined or registered before this returns (the coalescer yields before running a job), so the requests of
    /// one stale burst share one revalidation however the thread pool schedules them.
    /// </remarks>
    private void RevalidateInBackground(VariantStore store, ImageRequest request, SourceObject item, ObjectRecord record, string key) =>
        _ = ObserveAsync(
            _jobs.RunAsync(key, () => JobAsync(store, request, item, record, key, new RequestTimings()), CancellationToken.None),
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

    /// <summary>
    /// The variant, when another job has produced it since the caller read <paramref name="known"/>: under a newer
    /// record (the other job fetched or revalidated; with shared Redis that record is read from Redis, where another
    /// node writes it), or under <paramref name="known"/> while that is still fresh (the other job only rendered,
    /// so it had no new record to write). Null when there is nothing yet.
    /// </summary>
    private async Task<ImageResult?> ProducedMeanwhileAsync(VariantStore store, ImageRequest request, SourceObject item, ObjectRecord? known)
    {
        var latest = await store.ReadLatestRecordAsync(item);
        var isNewer = latest is not null
            && (known is null || latest.CheckedAt > known.CheckedAt || latest.Validator != known.Validator);
        var record = isNewer ? latest
            : known is not null && policy.IsFresh(known, request) ? known
            : null;
        if (record is null)
        {
            return null;
        }

        var (entry, tier) = await store.GetVariantAsync(item, policy.KeyFor(request, record.Validator), CancellationToken.None);
        if (entry is null)
        {
            return null;
        }

        if (isNewer && store.SharesRecords)
        {
            // Read from Redis only: this node's own tiers learn it too.
            await store.WriteRecordAsync(item, record);
        }

        return FromEntry(request, item, entry, record, tier);
    }

    /// <summary>fetch (conditional, when the record is stale) → the stored variant, or render → store; then the record.</summary>
    private async Task<ImageResult> ProduceAsync(VariantStore store, ImageRequest request, SourceObject item, ObjectRecord? record, RequestTimings timings)
    {
        ObjectRecord current;
        byte[]? originalBytes = null;
        var askedOrigin = false;
        if (record is not null && policy.IsFresh(record, request))
        {
            current = record;
        }
        else
        {
            try
            {
                (current, originalBytes) = await origins.FetchAsync(request.Source, request.ObjectKey, record, timings);
                askedOrigin = true;
            }
            catch (Exception ex) when (record is not null && ex is OriginUnavailableException or OriginTimeoutException)
            {
                if (await StaleVariantAsync(store, request, item, record, policy.Settings.StaleIfErrorSeconds) is not { } stale)
                {
                    throw;
                }

                Log.StaleServedOnOriginError(logger, request.Source.Name, ex.Message);
                return stale;
            }
        }

        // Under an unchanged record this is the job's own key; a changed object brings a new record and a new key.
        var key = policy.KeyFor(request, current.Validator);
        var (entry, tier) = await store.GetVariantAsync(item, key, CancellationToken.None);
        if (entry is null)
        {
            byte[] bytes;
            if (originalBytes is not null)
            {
                bytes = originalBytes;
            }
            else
            {
                (current, bytes) = await origins.LoadAsync(request.Source, request.ObjectKey, current, timings);
                key = policy.KeyFor(request, current.Validator);
            }

            var rendered = await renders.RenderAsync(bytes, request, await overlays.LoadAsync(request), timings, CancellationToken.None);
            tier = CacheTier.None;
            // Result before record: another node that sees the new record must find the result too.
            entry = await store.StoreVariantAsync(item, key, current.Validator, rendered);
        }

        if (!ReferenceEquals(current, record))
        {
            await store.WriteRecordAsync(item, current);
        }

        // The origin said 304 and a tier still had the variant: neither bytes nor a render were needed.
        var revalidated = askedOrigin && originalBytes is null && tier != CacheTier.None;
        return FromEntry(request, item, entry, current, tier) with { Revalidated = revalidated };
    }

    /// <summary>
    /// The variant the old record points at, while within max-age + <paramref name="windowSeconds"/>
    /// (stale-while-revalidate or stale-if-error); null past it or when the cache no longer has the variant.
    /// </summary>
    /// <remarks>
    /// A stale answer tells caches after us not to keep it (<see cref="ImageResult.Stale"/> → max-age=0, no
    /// s-maxage): a CDN holding it for the source's full max-age would serve the old image long after we know better.
    /// </remarks>
    private async Task<ImageResult?> StaleVariantAsync(VariantStore store, ImageRequest request, SourceObject item, ObjectRecord record, long windowSeconds)
    {
        if (!policy.IsWithinStaleWindow(record, request, windowSeconds))
        {
            return null;
        }

        var (entry, tier) = await store.GetVariantAsync(item, policy.KeyFor(request, record.Validator), CancellationToken.None);
        return entry is null ? null : FromEntry(request, item, entry, record, tier) with { Stale = true, Cached = null };
    }

    private ImageResult FromEntry(ImageRequest request, SourceObject item, CacheEntry entry, ObjectRecord record, CacheTier tier) =>
        new(false, entry.Body, entry.Metadata.ContentType, Quote(entry.Metadata.Key), record.LastModified, request.Format.AcceptMattered,
            entry.Metadata.Width, entry.Metadata.Height)
        {
            Quality = entry.Metadata.Quality,
            ShrunkForBudget = entry.Metadata.ShrunkForBudget,
            Tier = tier,
            Cached = new CacheLocation(item, entry.Metadata.Key, CachePolicy.FreshUntil(record, request)),
            SurrogateKeys = item.SurrogateKeys,
            Grants = policy.Grants,
        };

    /// <summary>Result cache off: fetch and render every time (what the cache-miss benchmarks measure).</summary>
    private async Task<ImageResult> GetUncachedAsync(ImageRequest request, RequestTimings timings, CancellationToken cancellationToken)
    {
        var original = await origins.FetchOnceAsync(request.Source, request.ObjectKey, timings, cancellationToken);
        var validators = Validators(request, policy.KeyFor(request, OriginFetcher.ValidatorOf(original)), original.LastModified);
        // Without a result cache of our own, the CDN in front still gets the same ETag, directives and purge tags.
        var surrogateKeys = new SourceObject(request.Source.Name, request.ObjectKey).SurrogateKeys;
        if (validators.For(request.Conditions) is { NotModified: true } notModified)
        {
            return notModified with { SurrogateKeys = surrogateKeys, Grants = policy.Grants };
        }

        var rendered = await renders.RenderAsync(original.Bytes!, request, await overlays.LoadAsync(request), timings, cancellationToken);
        return new ImageResult(
            false, rendered.Bytes, rendered.ContentType, validators.ETag, original.LastModified, request.Format.AcceptMattered, rendered.Width, rendered.Height)
        {
            Quality = rendered.Quality,
            ShrunkForBudget = rendered.ShrunkForBudget,
            SurrogateKeys = surrogateKeys,
            Grants = policy.Grants,
        };
    }

    // The validators of a representation, without its body: what the 304 decision (ImageResult.For) looks at.
    private static ImageResult Validators(ImageRequest request, string key, DateTimeOffset? lastModified) =>
        new(false, ReadOnlyMemory<byte>.Empty, null, Quote(key), lastModified, request.Format.AcceptMattered, 0, 0);

    private static string Quote(string key) => $"\"{key}\"";
}
