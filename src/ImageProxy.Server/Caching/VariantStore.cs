using System.Runtime.CompilerServices;
using System.Text.Json;
using ImageProxy.Imaging;

namespace ImageProxy.Server.Caching;

/// <summary>
/// An object's entries in the result cache: its record (what we last learned from the origin), its cached original
/// and its rendered variants. Reads never throw for the cache's own failures (see <see cref="IResultCache"/>).
/// </summary>
/// <param name="cache">All tiers of this node.</param>
/// <param name="shared">The tier other nodes write to (Redis), when there is one: where a newer record shows up first.</param>
public sealed class VariantStore(IResultCache cache, IResultCache? shared, ResultCacheOptions settings, TimeProvider clock)
{
    // The memory tier hands out the same record entry instance on every hit: parse its JSON once per instance.
    // Weak keys, so a record dropped by the tier takes its parsed form with it.
    private readonly ConditionalWeakTable<CacheEntry, ObjectRecord> _parsedRecords = new();

    /// <summary>The record and the tier it came from; (null, None) when there is none or it does not parse.</summary>
    public async ValueTask<(ObjectRecord? Record, CacheTier Tier)> ReadRecordAsync(SourceObject item, CancellationToken cancellationToken)
    {
        var (entry, tier) = await cache.GetWithTierAsync(item, CacheAddresses.Record, cancellationToken);
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

    /// <summary>
    /// The newest record any node may have written: read from the shared tier when there is one (another node writes
    /// it there, and this node's own tiers would still hold the old one), else from this node's tiers.
    /// </summary>
    public async Task<ObjectRecord?> ReadLatestRecordAsync(SourceObject item) =>
        shared is not null
            ? ParseRecord(await shared.GetAsync(item, CacheAddresses.Record, CancellationToken.None))
            : (await ReadRecordAsync(item, CancellationToken.None)).Record;

    /// <summary>True when <see cref="ReadLatestRecordAsync"/> reads past this node's tiers, so a record found there must be copied here.</summary>
    public bool SharesRecords => shared is not null;

    public Task WriteRecordAsync(SourceObject item, ObjectRecord record)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(record, CacheJson.Default.ObjectRecord);
        // Kept as long as the variants it keys, so a restart or a stale period still finds them.
        var entry = CacheEntry.Create(
            CacheAddresses.Record, CacheEntryKind.Record, body, "application/json", record.Validator, clock.GetUtcNow(),
            TimeSpan.FromSeconds(settings.ResultLifetimeSeconds));
        return cache.SetAsync(item, entry, CancellationToken.None);
    }

    public ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetVariantAsync(SourceObject item, string key, CancellationToken cancellationToken) =>
        cache.GetWithTierAsync(item, key, cancellationToken);

    /// <summary>Stores a rendered variant under <paramref name="key"/>, the key of <paramref name="validator"/>'s version.</summary>
    public async Task<CacheEntry> StoreVariantAsync(SourceObject item, string key, string validator, RenderResult rendered)
    {
        var entry = CacheEntry.Create(
            key, CacheEntryKind.Result, rendered.Bytes, rendered.ContentType, validator, clock.GetUtcNow(),
            TimeSpan.FromSeconds(settings.ResultLifetimeSeconds), rendered.Width, rendered.Height, rendered.Quality, rendered.ShrunkForBudget);
        await cache.SetAsync(item, entry, CancellationToken.None);
        return entry;
    }

    /// <summary>The cached original when it is the version <paramref name="validator"/> names; null otherwise.</summary>
    public async Task<byte[]?> ReadOriginalAsync(SourceObject item, string validator)
    {
        var cached = await cache.GetAsync(item, CacheAddresses.Original, CancellationToken.None);
        return cached is not null && cached.Metadata.OriginValidator == validator ? cached.Body.ToArray() : null;
    }

    /// <summary>Keeps the original briefly (ResultCache:OriginalLifetimeSeconds), for the other variants a page asks for next.</summary>
    public Task StoreOriginalAsync(SourceObject item, byte[] bytes, string? contentType, string validator) =>
        cache.SetAsync(item, CacheEntry.Create(
            CacheAddresses.Original, CacheEntryKind.Original, bytes, contentType, validator, clock.GetUtcNow(),
            TimeSpan.FromSeconds(settings.OriginalLifetimeSeconds)), CancellationToken.None);

    /// <summary>Drops everything of the object: its variants, original and record.</summary>
    public Task PurgeAsync(SourceObject item) => cache.PurgeAsync(item, CancellationToken.None);

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
}
