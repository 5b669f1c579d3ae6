using ImageProxy.Transform;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// Host settings, bound from the "ImageProxy" configuration section (appsettings.json,
/// ImageProxy__Key environment variables, or the command-line switches in <see cref="CommandLineSwitches"/>).
/// Validated at start-up by <see cref="ProxyOptionsValidator"/>.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ImageProxy";

    /// <summary>Path of sources.json; null = samples/sources.json found next to the current directory or the repository root.</summary>
    public string? SourcesFile { get; set; }

    /// <summary>libvips to load: "bundled" (NetVips.Native from NuGet), "system" (Debian's libvips.so.42) or a file; null = $IMAGEPROXY_LIBVIPS, else bundled.</summary>
    public string? LibvipsPath { get; set; }

    /// <summary>Directory for the result cache. Accepted now so deployments can set it; the caching work will use it.</summary>
    public string? CacheDir { get; set; }

    /// <summary>Source, output and dpr limits handed to the Transform and Imaging code.</summary>
    public Limits Limits { get; set; } = new();

    /// <summary>Renders running at once; 0 = one per processor.</summary>
    public int MaxConcurrentRenders { get; set; }

    /// <summary>Renders allowed to wait for a slot; beyond that the proxy answers 429.</summary>
    public int MaxQueuedRenders { get; set; } = 64;

    /// <summary>Budget for one render (decode, transform, encode).</summary>
    public int ProcessingTimeoutSeconds { get; set; } = 30;

    /// <summary>libvips worker threads per render; kept low because many renders run side by side.</summary>
    public int VipsConcurrency { get; set; } = 1;

    /// <summary>Budget for the readiness probe's tiny libvips operation.</summary>
    public int HealthProbeTimeoutSeconds { get; set; } = 5;

    /// <summary>Request-level protections: URL length, signing policy, whole-request timeout, per-client rate limit.</summary>
    public Security.SecurityOptions Security { get; set; } = new();

    /// <summary>Encoder effort settings (AVIF effort 2 by default: a live proxy cannot wait for effort 4; docs/benchmarks.md, "libvips settings").</summary>
    public ImageProxy.Imaging.EncoderSettings Encoding { get; set; } = new();

    /// <summary>Width buckets for <c>ch=Width</c> client hints.</summary>
    public ClientHintOptions ClientHints { get; set; } = new();

    /// <summary>The parameter playground (off by default).</summary>
    public Playground.PlaygroundOptions Playground { get; set; } = new();

    public int EffectiveConcurrentRenders => MaxConcurrentRenders > 0 ? MaxConcurrentRenders : Environment.ProcessorCount;
}
