namespace ImageProxy.Server.Origins;

/// <summary>The original is larger than the byte cap. Public answer: 413.</summary>
public sealed class SourceTooLargeException(long maxBytes) : Exception($"The source image is larger than {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}
