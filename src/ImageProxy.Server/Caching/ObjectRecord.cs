namespace ImageProxy.Server.Caching;

/// <summary>
/// What the proxy last learned about an original. The cache key needs the origin validator, but a hit
/// must not ask the origin, so the key is computed from this record; while
/// <see cref="CheckedAt"/> + max-age lies ahead the record is trusted, after that the origin is asked
/// with a conditional request.
/// </summary>
/// <param name="Validator">What goes into the cache key: origin ETag, else Last-Modified, else a hash of the bytes.</param>
/// <param name="ETag">The origin's ETag for If-None-Match, when it sent one.</param>
/// <param name="LastModified">The origin's Last-Modified for If-Modified-Since, when it sent one.</param>
public sealed record ObjectRecord(string Validator, string? ETag, DateTimeOffset? LastModified, DateTimeOffset CheckedAt)
{
    public bool IsFreshAt(DateTimeOffset now, TimeSpan maxAge) => now < CheckedAt + maxAge;
}
