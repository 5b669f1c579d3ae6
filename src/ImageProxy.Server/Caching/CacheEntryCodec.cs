using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImageProxy.Server.Caching;

/// <summary>
/// One byte layout for disk files and Redis values: "IPC1", metadata length (int32 LE), metadata JSON, body.
/// Decoding checks everything the metadata promises, because a torn write, a truncated file or a stray
/// object must become a miss and never a served response.
/// </summary>
public static class CacheEntryCodec
{
    private static ReadOnlySpan<byte> Magic => "IPC1"u8;
    private const int PrefixLength = 8;

    public static byte[] Encode(CacheEntry entry)
    {
        var metadata = JsonSerializer.SerializeToUtf8Bytes(entry.Metadata, CacheJson.Default.CacheEntryMetadata);
        var buffer = new byte[PrefixLength + metadata.Length + entry.Body.Length];
        Magic.CopyTo(buffer);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(4), metadata.Length);
        metadata.CopyTo(buffer, PrefixLength);
        entry.Body.Span.CopyTo(buffer.AsSpan(PrefixLength + metadata.Length));
        return buffer;
    }

    /// <summary>The entry, or null with the reason it failed its check. Expiry is checked by the caller (it owns the clock).</summary>
    /// <param name="verifyChecksum">
    /// false only when the caller already verified these very bytes (the disk tier remembers a file it checked by
    /// path, length and modification time); header, key and length are checked regardless.
    /// </param>
    public static CacheEntry? Decode(ReadOnlyMemory<byte> stored, string expectedKey, out string? failure, bool verifyChecksum = true)
    {
        var span = stored.Span;
        if (span.Length < PrefixLength || !span[..4].SequenceEqual(Magic))
        {
            failure = "bad header";
            return null;
        }

        var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        if (metadataLength <= 0 || metadataLength > span.Length - PrefixLength)
        {
            failure = "bad metadata length";
            return null;
        }

        CacheEntryMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(span.Slice(PrefixLength, metadataLength), CacheJson.Default.CacheEntryMetadata);
        }
        catch (JsonException)
        {
            metadata = null;
        }

        if (metadata is null)
        {
            failure = "unreadable metadata";
            return null;
        }

        var body = stored[(PrefixLength + metadataLength)..];
        failure = metadata.Key != expectedKey ? "key mismatch"
            : metadata.BodyLength != body.Length ? "body length mismatch"
            : verifyChecksum && !HashMatches(body.Span, metadata.BodySha256) ? "body checksum mismatch"
            : null;
        return failure is null ? new CacheEntry(metadata, body) : null;
    }

    /// <summary>Metadata only, for the janitor: reads the header without the body.</summary>
    public static CacheEntryMetadata? ReadMetadata(Stream stream)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        if (stream.ReadAtLeast(prefix, PrefixLength, throwOnEndOfStream: false) < PrefixLength || !prefix[..4].SequenceEqual(Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
        if (length <= 0 || length > 1 << 20)
        {
            return null;
        }

        var metadata = new byte[length];
        if (stream.ReadAtLeast(metadata, length, throwOnEndOfStream: false) < length)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(metadata, CacheJson.Default.CacheEntryMetadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HashMatches(ReadOnlySpan<byte> body, string expectedHex)
    {
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, actual);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        return Convert.FromHexString(expectedHex, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == expected.Length && actual.SequenceEqual(expected);
    }
}
