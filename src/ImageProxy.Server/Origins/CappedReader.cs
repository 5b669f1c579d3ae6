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
