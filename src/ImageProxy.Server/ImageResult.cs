namespace ImageProxy.Server;

/// <summary>
/// A rendered image, or (when <see cref="NotModified"/>) confirmation that the client's copy is current.
/// <see cref="ETag"/> is the quoted strong entity tag (the cache key).
/// </summary>
public sealed record ImageResult(
    bool NotModified,
    byte[] Body,
    string? ContentType,
    string ETag,
    DateTimeOffset? LastModified,
    bool VaryOnAccept,
    int Width,
    int Height)
{
    public override string ToString() => NotModified ? $"304 {ETag}" : $"{ContentType} {Width}x{Height} ({Body.Length} bytes) {ETag}";
}
