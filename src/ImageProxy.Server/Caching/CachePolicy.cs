using ImageProxy.Server.Configuration;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Caching;

/// <summary>
/// What the configuration says about one request's variant: its key, how long an object record vouches for it,
/// the stale windows, and the grants to caches after us. Pure arithmetic over settings and the clock.
/// </summary>
public sealed class CachePolicy(IOptions<ProxyOptions> proxy, IOptions<CachingOptions> caching, TimeProvider clock)
{
    private readonly string _encoderPolicy = proxy.Value.Encoding.Policy;

    public ResultCacheOptions Settings => caching.Value.ResultCache;

    public TimeProvider Clock => clock;

    public SharedCacheGrants Grants { get; } = SharedCacheGrants.From(caching.Value.ResultCache);

    /// <summary>
    /// The variant's key (and, quoted, its ETag) under the origin version <paramref name="validator"/>; with none, the
    /// name every cluster node gives the variant whatever record it holds.
    /// </summary>
    public string KeyFor(ImageRequest request, string? validator) =>
        CacheKey.Compute(request.Source.Name, request.ObjectKey, validator, request.Plan, request.Format.Format, RenderPolicy(request));

    public static TimeSpan MaxAge(ImageRequest request) => TimeSpan.FromSeconds(request.Source.Definition.CacheMaxAge);

    /// <summary>True while the record may be trusted without asking the origin.</summary>
    public bool IsFresh(ObjectRecord record, ImageRequest request) => record.IsFreshAt(clock.GetUtcNow(), MaxAge(request));

    /// <summary>Until when the record vouches for the variants keyed under it (checked at + max-age).</summary>
    public static DateTimeOffset FreshUntil(ObjectRecord record, ImageRequest request) => record.CheckedAt + MaxAge(request);

    /// <summary>True while a stale record is within max-age + <paramref name="windowSeconds"/> (0 = no window).</summary>
    public bool IsWithinStaleWindow(ObjectRecord record, ImageRequest request, long windowSeconds) =>
        windowSeconds > 0 && clock.GetUtcNow() < FreshUntil(record, request) + TimeSpan.FromSeconds(windowSeconds);

    // What shapes the output besides the URL: the source's output limits and switches, the encoder settings and the
    // versions of the overlay images.
    private string RenderPolicy(ImageRequest request) =>
        request.Source.Definition.Limits.OutputPolicy + ";" + _encoderPolicy
        // A source that switches detection off renders face parameters differently: another variant.
        + (request.Plan.NeedsFaces && !request.Source.Definition.FaceDetection ? ";faces=off" : "")
        // auto=format serves an animated source WebP or GIF whatever the still format is: both decide the bytes.
        + (request.Format.AnimatedFormat is { } animated ? ";anim=" + animated.Extension() : string.Empty)
        + request.Overlays?.KeyPart;
}
