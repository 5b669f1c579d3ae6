namespace ImageProxy.Server;

/// <summary>The render queue is full. Public answer: 429 with Retry-After.</summary>
public sealed class ProcessingRejectedException() : Exception("Too many requests are being processed; retry shortly.");
