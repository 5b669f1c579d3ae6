namespace ImageProxy.Server.Origins;

/// <summary>Reads a whole stream into memory but never more than a cap, whatever the stream claimed its length was.</summary>
public static class CappedReader
{
    private const int UnknownLengthGuess = 64 * 1024;

    /// <param name="expectedLength">A hint for the initial buffer (Content-Length, file length); may be null or wrong.</param>
    /// <remarks>
    /// The hint is right almost always, so the bytes are read straight into an array of that size and returned as it is:
    /// an original of several megabytes is allocated once (on the large-object heap) and never copied. A wrong or missing
    /// hint only costs growing the array and one trimming copy at the end.
    /// </remarks>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, long? expectedLength, CancellationToken cancellationToken)
    {
        // maxBytes + 1 bytes are enough to know the cap is passed.
        var limit = (int)Math.Min(maxBytes + 1, Array.MaxLength);
        var buffer = new byte[(int)Math.Clamp(expectedLength ?? UnknownLengthGuess, 0, Math.Min(limit, 16 * 1024 * 1024))];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total >= limit)
                {
                    throw new SourceTooLargeException(maxBytes);
                }

                // Full: the usual end when the hint was right, and then one byte more to read proves it.
                var next = new byte[1];
                if (await stream.ReadAsync(next, cancellationToken) == 0)
                {
                    return buffer;
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, UnknownLengthGuess), limit));
                buffer[total++] = next[0];
                continue;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                return total == buffer.Length ? buffer : buffer[..total];
            }

            total += read;
            if (total > maxBytes)
            {
                throw new SourceTooLargeException(maxBytes);
            }
        }
    }
}

/// <summary>
/// A write-only memory stream that refuses to hold more than a cap: the destination for SDKs that download
/// into a stream they are given, so an original over the cap fails while streaming instead of after buffering.
/// </summary>
public sealed class CappedBufferStream(long maxBytes, long? expectedLength) : Stream
{
    private readonly MemoryStream _buffer = new((int)Math.Clamp(expectedLength ?? 64 * 1024, 0, Math.Min(maxBytes, 16 * 1024 * 1024)));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _buffer.Length;

    public override long Position
    {
        get => _buffer.Length;
        set => throw new NotSupportedException();
    }

    public byte[] ToArray() => _buffer.ToArray();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_buffer.Length + buffer.Length > maxBytes)
        {
            throw new SourceTooLargeException(maxBytes);
        }

        _buffer.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }
}
