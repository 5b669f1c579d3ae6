namespace ImageProxy.Server.Caching;

/// <summary>What one origin call taught us: the (re)validated record, and the bytes when the origin sent them (null after a 304).</summary>
public sealed record OriginAnswer(ObjectRecord Record, byte[]? Bytes);
