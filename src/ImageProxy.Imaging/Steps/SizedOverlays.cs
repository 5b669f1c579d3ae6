using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Decoded overlay images at the size they are drawn, as raw 8-bit RGBA, keyed by the SHA-256 of their bytes and the
/// size: the strongest validator there is, so a changed watermark is decoded again and an unchanged one is not. Bounded
/// (entries of at most <see cref="MaxEntryBytes"/>, at most <see cref="Capacity"/> of them: 32 MiB), oldest out first,
/// like the face boxes; the arrays are never written after they are stored, so renders may read them at once.
/// </summary>
internal static class SizedOverlays
{
    public const long MaxEntryBytes = 1024 * 1024;
    public const int Capacity = 32;

    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Known = new();
    private static readonly ConcurrentQueue<string> Order = new();

    public static byte[] GetOrAdd(byte[] image, int width, int height, Func<byte[]> decode)
    {
        var key = $"{Convert.ToHexString(SHA256.HashData(image))}|{width}x{height}";
        var entry = Known.GetOrAdd(key, _ => new Lazy<byte[]>(decode));
        if (entry.IsValueCreated)
        {
            return entry.Value;
        }

        byte[] pixels;
        try
        {
            pixels = entry.Value;
        }
        catch
        {
            // A failed decode is not kept: the next render tries again (and reports its own error).
            Known.TryRemove(key, out _);
            throw;
        }

        Order.Enqueue(key);
        while (Known.Count > Capacity && Order.TryDequeue(out var oldest))
        {
            Known.TryRemove(oldest, out _);
        }

        return pixels;
    }
}
