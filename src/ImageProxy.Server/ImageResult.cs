using ImageProxy.Server.Caching;

namespace ImageProxy.Server;

/// <summary>
/// A rendered image, or (when <see cref="NotModified"/>) confirmation that the client's copy is current.
/// <see cref="ETag"/> is the quoted strong entity tag (the cache key).
/// </summary>
public sealed record ImageResult(
    bool NotModified,
    ReadOnlyMemory<byte> Body,
    string? ContentType,
    string ETag,
    DateTimeOffset? LastModified,
    bool VaryOnAccept,
    int Width,
    int Height)
{
    /// <summary>The lossy quality the image was encoded at (X-Image-Quality); null for lossless formats and documents.</summary>
    public int? Quality { get; init; }

    /// <summary>max-bytes was met only by making the picture smaller than asked (X-Image-Downscaled).</summary>
    public bool ShrunkForBudget { get; init; }

    /// <summary>The cache tier that answered; None = rendered (or 304 decided without reading a tier).</summary>
    public CacheTier Tier { get; init; }

    /// <summary>Set when the body came from (or was just stored in) the result cache under a fresh object record.</summary>
    public CacheLocation? Cached { get; init; }

    /// <summary>A cached variant served past its freshness because the origin failed (stale-if-error).</summary>
    public bool Stale { get; init; }

    /// <summary>The record was past max-age, the origin answered 304, and the cached variant was served (no render).</summary>
    public bool Revalidated { get; init; }

    /// <summary>Surrogate-Key / Cache-Tag values naming the source and the object, for CDN purges.</summary>
    public IReadOnlyList<string> SurrogateKeys { get; init; } = [];

    /// <summary>What caches after us may do beyond max-age (s-maxage, stale-while-revalidate, stale-if-error); <c>Http/ResponseHeaders</c> writes them.</summary>
    public SharedCacheGrants Grants { get; init; } = SharedCacheGrants.None;

    /// <summary>The miss went to the cluster node that owns the variant, which already answered the client.</summary>
    public bool HandedOff { get; init; }

    /// <summary>
    /// This caller's answer: a 304 when its conditional headers (If-None-Match, else If-Modified-Since) already name this
    /// representation, else the result itself. The one place the 304 is decided: results are shared between the callers
    /// of one job, their conditions are not.
    /// </summary>
    public ImageResult For(ClientConditions conditions) =>
        !NotModified && conditions.IsSatisfiedBy(ETag, LastModified)
            ? this with { NotModified = true, Body = ReadOnlyMemory<byte>.Empty }
            : this;

    public static ImageResult HandedOffToOwner { get; } = new(false, ReadOnlyMemory<byte>.Empty, null, string.Empty, null, false, 0, 0) { HandedOff = true };

    public override string ToString() => NotModified ? $"304 {ETag}" : $"{ContentType} {Width}x{Height} ({Body.Length} bytes) {ETag}";
}
