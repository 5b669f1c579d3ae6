using System.Security.Cryptography;

namespace ImageProxy.Server.Caching;

/// <summary>
/// An entry as read from or written to a tier. <see cref="Body"/> may be a slice of the stored bytes,
/// so a disk or Redis hit is served without another copy.
/// </summary>
public sealed record CacheEntry(CacheEntryMetadata Metadata, ReadOnlyMemory<byte> Body)
{
    public static CacheEntry Create(
        string key, CacheEntryKind kind, ReadOnlyMemory<byte> body, string? contentType, string? originValidator,
        DateTimeOffset created, TimeSpan lifetime, int width = 0, int height = 0, int? quality = null, bool shrunkForBudget = false)
    {
        var metadata = new CacheEntryMetadata(
            key, kind, contentType, originValidator, created, created + lifetime, body.Length,
            Convert.ToHexStringLower(SHA256.HashData(body.Span)), width, height, quality, shrunkForBudget);
        return new CacheEntry(metadata, body);
    }

    public override string ToString() => $"{Metadata.Kind} {Metadata.Key} ({Body.Length} bytes)";
}
