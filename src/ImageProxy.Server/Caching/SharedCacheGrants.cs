namespace ImageProxy.Server.Caching;

/// <summary>
/// What caches after us may do beyond max-age, as configured (ResultCache:SharedMaxAgeSeconds,
/// StaleWhileRevalidateSeconds, StaleIfErrorSeconds). Values only: <c>Http/ResponseHeaders</c> writes the text.
/// </summary>
public sealed record SharedCacheGrants(long? SharedMaxAgeSeconds, long StaleWhileRevalidateSeconds, long StaleIfErrorSeconds)
{
    public static SharedCacheGrants None { get; } = new(null, 0, 0);

    public static SharedCacheGrants From(ResultCacheOptions settings) =>
        new(settings.SharedMaxAgeSeconds, settings.StaleWhileRevalidateSeconds, settings.StaleIfErrorSeconds);
}
