namespace ImageProxy.Server.Caching;

/// <summary>
/// Stored in front of every entry's body and checked on every read: the key must match the address, the
/// body its length and SHA-256, and <see cref="ExpiresAt"/> must lie in the future.
/// </summary>
/// <param name="Key">The address within the object: a result's cache key, or <see cref="CacheAddresses.Original"/> / <see cref="CacheAddresses.Record"/>.</param>
/// <param name="OriginValidator">Validator of the original the entry was made from (ETag, Last-Modified or content hash).</param>
/// <param name="ExpiresAt">After this the entry is dead: deleted on read, by the janitor, and by Redis TTL.</param>
public sealed record CacheEntryMetadata(
    string Key,
    CacheEntryKind Kind,
    string? ContentType,
    string? OriginValidator,
    DateTimeOffset Created,
    DateTimeOffset ExpiresAt,
    long BodyLength,
    string BodySha256,
    int Width = 0,
    int Height = 0,
    int? Quality = null,
    bool ShrunkForBudget = false);
