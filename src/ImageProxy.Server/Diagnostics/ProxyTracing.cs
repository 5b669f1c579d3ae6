using System.Diagnostics;

namespace ImageProxy.Server.Diagnostics;

/// <summary>
/// The "ImageProxy" activity source: one span per image request with children for the origin fetch, the render
/// and cache I/O (disk and Redis; a memory hit is no I/O and gets none). Without a listener (no OTLP, no test
/// listener) StartActivity returns null and costs one check.
/// </summary>
public static class ProxyTracing
{
    public const string SourceName = "ImageProxy";

    public const string RequestSpan = "imageproxy.request";
    public const string OriginSpan = "imageproxy.origin";
    public const string RenderSpan = "imageproxy.render";
    public const string CacheReadSpan = "imageproxy.cache.read";
    public const string CacheWriteSpan = "imageproxy.cache.write";

    public static readonly ActivitySource Source = new(SourceName);
}
