using ImageProxy.Server.Caching;

namespace ImageProxy.Server;

/// <summary>What one origin call taught <see cref="ImageService"/>: the (re)validated record, and the bytes when the origin sent them.</summary>
internal sealed record OriginAnswer(ObjectRecord Record, byte[]? Bytes);
