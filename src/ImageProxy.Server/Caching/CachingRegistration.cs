using ImageProxy.Server.Configuration;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Registers the tiers that are configured: disk when ImageProxy:CacheDir is set, Redis when ImageProxy:Redis
/// is, and in front of them the memory hot tier unless ResultCache:MaxMemoryBytes is 0. With neither, or with
/// ResultCache:Enabled=false, no <see cref="IResultCache"/> (and so no <see cref="VariantStore"/>) is registered and
/// ImageService renders every time. Also the request path around the cache: the policy, the origin fetcher, the
/// cross-node lock and ImageService itself.
/// </summary>
public static class CachingRegistration
{
    public static IServiceCollection AddResultCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ProxyOptions.SectionName);
        services.AddOptions<CachingOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CachingOptions>, CachingOptionsValidator>();
        services.AddHttpClient(AdminPurgeWebhook.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<AdminPurgeWebhook>();
        // Always registered; it switches itself off when there is no result cache to point into.
        services.AddSingleton<Http.ResponseMemo>();

        services.AddSingleton<CachePolicy>();
        services.AddSingleton(provider => new OriginFetcher(
            provider.GetService<VariantStore>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<OriginFetcher>>(), provider.GetService<Diagnostics.ProxyMetrics>()));
        services.AddSingleton(provider => new CrossNodeLock(
            provider.GetService<RedisRenderLock>(), provider.GetRequiredService<IOptions<CachingOptions>>().Value.ResultCache));
        services.AddSingleton(provider => new Overlays.OverlayResolver(
            provider.GetService<VariantStore>(), provider.GetRequiredService<OriginFetcher>(), provider.GetRequiredService<CachePolicy>(),
            provider.GetRequiredService<ILogger<Overlays.OverlayResolver>>()));
        services.AddSingleton(provider => new ImageService(
            provider.GetRequiredService<CachePolicy>(), provider.GetService<VariantStore>(), provider.GetRequiredService<OriginFetcher>(),
            provider.GetRequiredService<Overlays.OverlayResolver>(), provider.GetRequiredService<RenderQueue>(), provider.GetRequiredService<CrossNodeLock>(), provider.GetRequiredService<ILogger<ImageService>>()));

        var settings = section.Get<CachingOptions>() ?? new CachingOptions();
        var cacheDir = section[nameof(ProxyOptions.CacheDir)];
        var hasDisk = !string.IsNullOrWhiteSpace(cacheDir);
        var hasRedis = !string.IsNullOrWhiteSpace(settings.Redis);
        if (!hasDisk && !hasRedis)
        {
            return services;
        }

        if (hasDisk)
        {
            services.AddSingleton(provider => new DiskResultCache(
                cacheDir!, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<DiskResultCache>>()));
            services.AddHostedService<DiskCacheJanitor>();
        }

        if (hasRedis)
        {
            services.AddSingleton(provider =>
            {
                var options = provider.GetRequiredService<IOptions<CachingOptions>>().Value;
                return new RedisConnection(options.Redis!, options.RedisKeyPrefix, options.ResultCache,
                    provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RedisConnection>>(), options.RedisTrustedCaFile);
            });
            services.AddSingleton(provider => new RedisResultCache(
                provider.GetRequiredService<RedisConnection>(),
                provider.GetRequiredService<IOptions<CachingOptions>>().Value.ResultCache,
                provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<RedisRenderLock>();
            services.AddHostedService<PurgeSubscriber>();
        }

        if (settings.ResultCache.MaxMemoryBytes > 0)
        {
            services.AddSingleton(provider => new MemoryResultCache(
                settings.ResultCache.MaxMemoryBytes, settings.ResultCache.MaxMemoryEntryBytes, provider.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(provider => new TieredCache(
            provider.GetService<DiskResultCache>(), provider.GetService<RedisResultCache>(), provider.GetService<RedisConnection>(),
            provider.GetRequiredService<ILogger<TieredCache>>(), provider.GetService<MemoryResultCache>()));
        if (settings.ResultCache.Enabled)
        {
            services.AddSingleton<IResultCache>(provider => provider.GetRequiredService<TieredCache>());
            services.AddSingleton(provider => new VariantStore(
                provider.GetRequiredService<IResultCache>(), provider.GetService<RedisResultCache>(),
                provider.GetRequiredService<IOptions<CachingOptions>>().Value.ResultCache, provider.GetRequiredService<TimeProvider>()));
        }

        return services;
    }
}
