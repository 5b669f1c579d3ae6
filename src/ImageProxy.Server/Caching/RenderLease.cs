namespace ImageProxy.Server.Caching;

/// <summary>A held cross-node render lock; <see cref="FencingToken"/> proves ownership when releasing.</summary>
public sealed record RenderLease(string LockKey, string FencingToken);
