using ImageProxy.Server.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Start-up validation of <see cref="CachingOptions"/> (ImageProxy:Redis, ImageProxy:ResultCache:*, …), as
/// <see cref="ProxyOptionsValidator"/> does for the host settings: each failure names its configuration key, so a
/// typo stops the server at start instead of turning into a cache that silently never keeps anything.
/// </summary>
public sealed class CachingOptionsValidator : IValidateOptions<CachingOptions>
{
    public ValidateOptionsResult Validate(string? name, CachingOptions options)
    {
        var failures = new List<string>();
        const string section = ProxyOptions.SectionName;

        void Require(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"{section}:{key} {rule}");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            Require(IsRedisConfiguration(options.Redis), nameof(CachingOptions.Redis),
                "must be host:port or a StackExchange.Redis configuration string");
        }

        Require(options.RedisTrustedCaFile is null || File.Exists(options.RedisTrustedCaFile), nameof(CachingOptions.RedisTrustedCaFile),
            "must be an existing PEM file");
        Require(options.RedisKeyPrefix is not null, nameof(CachingOptions.RedisKeyPrefix), "is required");
        Require(options.PurgeWebhookUrl is null
                || (Uri.TryCreate(options.PurgeWebhookUrl, UriKind.Absolute, out var webhook) && (webhook.Scheme == Uri.UriSchemeHttp || webhook.Scheme == Uri.UriSchemeHttps)),
            nameof(CachingOptions.PurgeWebhookUrl), "must be an absolute http or https URL");

        var cache = options.ResultCache;
        Require(cache is not null, nameof(CachingOptions.ResultCache), "is required");
        if (cache is null)
        {
            return ValidateOptionsResult.Fail(failures);
        }

        const string r = nameof(CachingOptions.ResultCache) + ":";
        Require(cache.MaxDiskBytes > 0, r + nameof(cache.MaxDiskBytes), "must be greater than 0");
        Require(cache.MaxMemoryBytes >= 0, r + nameof(cache.MaxMemoryBytes), "must be 0 (off) or more");
        Require(cache.MaxMemoryEntryBytes > 0, r + nameof(cache.MaxMemoryEntryBytes), "must be greater than 0");
        Require(cache.MemoEntries >= 0, r + nameof(cache.MemoEntries), "must be 0 (off) or more");
        Require(cache.JanitorIntervalSeconds > 0, r + nameof(cache.JanitorIntervalSeconds), "must be greater than 0");
        Require(cache.ResultLifetimeSeconds > 0, r + nameof(cache.ResultLifetimeSeconds), "must be greater than 0");
        Require(cache.OriginalLifetimeSeconds >= 0, r + nameof(cache.OriginalLifetimeSeconds), "must be 0 or more");
        Require(cache.RedisMaxEntryBytes >= 0, r + nameof(cache.RedisMaxEntryBytes), "must be 0 or more");
        Require(cache.RedisTimeoutMilliseconds > 0, r + nameof(cache.RedisTimeoutMilliseconds), "must be greater than 0");
        Require(cache.RedisBreakerFailures > 0, r + nameof(cache.RedisBreakerFailures), "must be greater than 0");
        Require(cache.RedisBreakerSeconds > 0, r + nameof(cache.RedisBreakerSeconds), "must be greater than 0");
        Require(cache.RenderLockMilliseconds > 0, r + nameof(cache.RenderLockMilliseconds), "must be greater than 0");
        Require(cache.RenderLockWaitMilliseconds >= 0, r + nameof(cache.RenderLockWaitMilliseconds), "must be 0 or more");
        Require(cache.SharedMaxAgeSeconds is null or >= 0, r + nameof(cache.SharedMaxAgeSeconds), "must be 0 or more (or unset)");
        Require(cache.StaleWhileRevalidateSeconds >= 0, r + nameof(cache.StaleWhileRevalidateSeconds), "must be 0 (off) or more");
        Require(cache.StaleIfErrorSeconds >= 0, r + nameof(cache.StaleIfErrorSeconds), "must be 0 (off) or more");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsRedisConfiguration(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
