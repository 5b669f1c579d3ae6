namespace ImageProxy.Server.Origins;

/// <summary>Reads a whole stream into memory but never more than a cap, whatever the stream claimed its length was.</summary>
public static class CappedReader
{
    /// <param name="expectedLength">A hint for the initial buffer (Content-Length, file length); may be null or wrong.</param>
    public static async Task<byte[]> ReadAllAsync(Stream stream, long maxBytes, long? expectedLength, CancellationToken cancellationToken)
    {
        var initial = (int)Math.Clamp(expectedLength ?? 64 * 1024, 0, Math.Min(maxBytes, 16 * 1024 * 1024)) + 1;
        using var buffer = new MemoryStream(initial);
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new SourceTooLargeException(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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
