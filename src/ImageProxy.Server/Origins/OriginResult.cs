namespace ImageProxy.Server.Origins;

/// <summary>
/// An origin's answer. For <see cref="OriginStatus.Ok"/>, <see cref="Bytes"/> holds the whole original
/// (already bounded by the source's byte cap); validators are whatever the origin offers.
/// </summary>
public sealed record OriginResult(
    OriginStatus Status,
    byte[]? Bytes,
    string? ETag,
    DateTimeOffset? LastModified,
    string? ContentType)
{
    public static readonly OriginResult NotFound = new(OriginStatus.NotFound, null, null, null, null);

    public long Length => Bytes?.LongLength ?? 0;

    /// <summary>What identifies this version of the original for the cache key: the ETag, else Last-Modified.</summary>
    public string? Validator => ETag ?? LastModified?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static OriginResult Ok(byte[] bytes, string? etag, DateTimeOffset? lastModified, string? contentType)
        => new(OriginStatus.Ok, bytes, etag, lastModified, contentType);

    public static OriginResult NotModified(string? etag, DateTimeOffset? lastModified)
        => new(OriginStatus.NotModified, null, etag, lastModified, null);

    // Records print every member; a megabyte of bytes in a log line helps nobody.
    public override string ToString() => $"{Status} ({Length} bytes, ETag {ETag ?? "none"})";
}
