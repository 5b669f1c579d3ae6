using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Tests.Configuration;

/// <summary>The caching and rate-limit settings are checked at start, like ProxyOptions: each failure names its key.</summary>
public sealed class CachingOptionsTests
{
    private static IConfiguration Settings(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static ValidateOptionsResult ValidateCaching(Dictionary<string, string?> settings)
    {
        var options = new CachingOptions();
        Settings(settings).GetSection(ProxyOptions.SectionName).Bind(options);
        return new CachingOptionsValidator().Validate(null, options);
    }

    [Test]
    public void The_defaults_and_a_tuned_configuration_are_valid()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new CachingOptionsValidator().Validate(null, new CachingOptions()).Succeeded, Is.True);
            Assert.That(ValidateCaching(new()
            {
                ["ImageProxy:Redis"] = "redis.internal:6380,user=proxy,password=secret,ssl=true",
                ["ImageProxy:PurgeWebhookUrl"] = "https://cdn.example/purge",
                ["ImageProxy:ResultCache:MaxMemoryBytes"] = "0",
                ["ImageProxy:ResultCache:StaleWhileRevalidateSeconds"] = "0",
                ["ImageProxy:ResultCache:SharedMaxAgeSeconds"] = "86400",
            }).Succeeded, Is.True);
        });
    }

    [TestCase("ResultCache:MaxDiskBytes", "0")]
    [TestCase("ResultCache:MaxMemoryBytes", "-1")]
    [TestCase("ResultCache:MaxMemoryEntryBytes", "0")]
    [TestCase("ResultCache:MemoEntries", "-5")]
    [TestCase("ResultCache:JanitorIntervalSeconds", "0")]
    [TestCase("ResultCache:ResultLifetimeSeconds", "0")]
    [TestCase("ResultCache:OriginalLifetimeSeconds", "-1")]
    [TestCase("ResultCache:RedisMaxEntryBytes", "-1")]
    [TestCase("ResultCache:RedisTimeoutMilliseconds", "0")]
    [TestCase("ResultCache:RedisBreakerFailures", "0")]
    [TestCase("ResultCache:RedisBreakerSeconds", "0")]
    [TestCase("ResultCache:RenderLockMilliseconds", "0")]
    [TestCase("ResultCache:RenderLockWaitMilliseconds", "-1")]
    [TestCase("ResultCache:SharedMaxAgeSeconds", "-1")]
    [TestCase("ResultCache:StaleWhileRevalidateSeconds", "-1")]
    [TestCase("ResultCache:StaleIfErrorSeconds", "-1")]
    [TestCase("Redis", "127.0.0.1:6379,nosuchoption=1")]
    [TestCase("RedisTrustedCaFile", "/nonexistent/ca.pem")]
    [TestCase("PurgeWebhookUrl", "cdn.example/purge")]
    [TestCase("PurgeWebhookUrl", "ftp://cdn.example/purge")]
    public void An_invalid_value_fails_naming_its_key(string key, string value)
    {
        var result = ValidateCaching(new() { ["ImageProxy:" + key] = value });

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Exactly(1).StartsWith("ImageProxy:" + key + " "), string.Join("; ", result.Failures ?? []));
        });
    }

    [TestCase("PermitsPerSecond")]
    [TestCase("Burst")]
    public void A_negative_rate_limit_setting_fails_naming_its_key(string key)
    {
        var options = new ProxyOptions();
        Settings(new() { ["ImageProxy:Security:RateLimit:" + key] = "-1" }).GetSection(ProxyOptions.SectionName).Bind(options);

        var result = new SecurityOptionsValidator().Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Exactly(1).StartsWith($"ImageProxy:Security:RateLimit:{key} "));
        });
    }

    [Test]
    public void A_host_with_an_invalid_caching_setting_does_not_start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ImageProxy:ResultCache:RedisTimeoutMilliseconds"] = "0" });
        builder.Services.AddResultCaching(builder.Configuration);
        using var host = builder.Build();

        var failure = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(failure!.Message, Does.Contain("ImageProxy:ResultCache:RedisTimeoutMilliseconds"));
    }
}
