using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// The reader trusts the length hint only for the size of its first buffer: whatever the hint says (right, too small,
/// too large, none), the bytes that come back are exactly the stream's, and the cap holds.
/// </summary>
public sealed class CappedReaderTests
{
    // A stream that hands out at most a few bytes per read, as sockets do, so every path of the loop is taken.
    private sealed class TricklingStream(byte[] data, int perRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, perRead)], cancellationToken);
    }

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + 7)).ToArray();

    [TestCase(0, 0L)]
    [TestCase(1000, 1000L)]
    [TestCase(1000, 10L)]
    [TestCase(1000, 5000L)]
    [TestCase(1000, null)]
    [TestCase(200_000, null)]
    [TestCase(200_000, 70_000L)]
    public async Task Returns_exactly_the_streams_bytes_whatever_the_hint(int length, long? hint)
    {
        var data = Bytes(length);

        var read = await CappedReader.ReadAllAsync(new TricklingStream(data, 4096), maxBytes: 1_000_000, hint, CancellationToken.None);

        Assert.That(read, Is.EqualTo(data));
    }

    [TestCase(100, 100L)]
    [TestCase(100, null)]
    [TestCase(100, 1L)]
    public async Task A_stream_exactly_at_the_cap_is_read(int length, long? hint)
    {
        var data = Bytes(length);

        var read = await CappedReader.ReadAllAsync(new TricklingStream(data, 7), maxBytes: length, hint, CancellationToken.None);

        Assert.That(read, Is.EqualTo(data));
    }

    [TestCase(101L)]
    [TestCase(100L)]
    [TestCase(10L)]
    [TestCase(null)]
    public void A_stream_over_the_cap_is_refused_even_when_the_hint_is_below_it(long? hint)
    {
        var data = Bytes(101);

        Assert.ThrowsAsync<SourceTooLargeException>(() =>
            CappedReader.ReadAllAsync(new TricklingStream(data, 7), maxBytes: 100, hint, CancellationToken.None));
    }
}
