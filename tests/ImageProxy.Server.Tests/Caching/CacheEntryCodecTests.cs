using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Tests.Caching;

public sealed class CacheEntryCodecTests
{
    private static readonly string Key = new('c', 64);

    private static CacheEntry Entry() =>
        CacheEntry.Create(Key, CacheEntryKind.Result, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), "image/avif", "\"e\"",
            DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1), 3, 4);

    [Test]
    public void RoundTripsAllByteValues()
    {
        var decoded = CacheEntryCodec.Decode(CacheEntryCodec.Encode(Entry()), Key, out var failure);
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(decoded!.Body.ToArray(), Is.EqualTo(Entry().Body.ToArray()));
            Assert.That(decoded.Metadata, Is.EqualTo(Entry().Metadata));
        });
    }

    [Test]
    public void AFlippedBodyBitFailsTheChecksum()
    {
        var stored = CacheEntryCodec.Encode(Entry());
        stored[^3] ^= 1;
        Assert.That(CacheEntryCodec.Decode(stored, Key, out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo("body checksum mismatch"));
    }

    [Test]
    public void ExtraBytesFailTheLengthCheck()
    {
        var stored = CacheEntryCodec.Encode(Entry()).Concat(new byte[] { 0 }).ToArray();
        Assert.That(CacheEntryCodec.Decode(stored, Key, out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo("body length mismatch"));
    }

    [Test]
    public void ForeignBytesAreRejected()
    {
        Assert.That(CacheEntryCodec.Decode("GIF89a not ours"u8.ToArray(), Key, out var failure), Is.Null);
        Assert.That(failure, Is.EqualTo("bad header"));
    }
}
