namespace ImageProxy.Server;

/// <summary>A render ran past the processing timeout. Public answer: 503 (our capacity, not the origin, is the problem).</summary>
public sealed class ProcessingTimeoutException(TimeSpan timeout, Exception? inner = null)
    : Exception($"Processing took longer than {timeout.TotalSeconds:0.#} s.", inner);
