using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Configuration;

/// <summary>Start-up validation of <see cref="ProxyOptions"/>; each failure names the configuration key.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
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

        var limits = options.Limits;
        Require(limits is not null, "Limits", "is required");
        if (limits is not null)
        {
            Require(limits.MaxSourceBytes > 0, "Limits:MaxSourceBytes", "must be greater than 0");
            Require(limits.MaxSourcePixels > 0, "Limits:MaxSourcePixels", "must be greater than 0");
            Require(limits.MaxSourceFrames > 0, "Limits:MaxSourceFrames", "must be greater than 0");
            Require(limits.MaxAnimationPixels > 0, "Limits:MaxAnimationPixels", "must be greater than 0");
            Require(limits.MaxOutputSide > 0, "Limits:MaxOutputSide", "must be greater than 0");
            Require(limits.MaxOutputPixels > 0, "Limits:MaxOutputPixels", "must be greater than 0");
            Require(limits.MaxDpr >= 1, "Limits:MaxDpr", "must be at least 1");
        }

        Require(options.MaxConcurrentRenders >= 0, "MaxConcurrentRenders", "must be 0 (one per processor) or more");
        Require(options.MaxQueuedRenders >= 0, "MaxQueuedRenders", "must be 0 or more");
        Require(options.ProcessingTimeoutSeconds > 0, "ProcessingTimeoutSeconds", "must be greater than 0");
        Require(options.VipsConcurrency > 0, "VipsConcurrency", "must be greater than 0");
        Require(options.HealthProbeTimeoutSeconds > 0, "HealthProbeTimeoutSeconds", "must be greater than 0");
        Require(options.Encoding.AvifEffort is >= 0 and <= 9, "Encoding:AvifEffort", "must be 0 (fastest) to 9");
        Require(options.Encoding.WebpEffort is >= 0 and <= 6, "Encoding:WebpEffort", "must be 0 (fastest) to 6");
        var buckets = options.ClientHints.EffectiveWidthBuckets;
        Require(buckets.All(width => width >= 1) && buckets.Zip(buckets.Skip(1)).All(pair => pair.First < pair.Second),
            "ClientHints:WidthBuckets", "must be positive widths in ascending order");
        Require(string.IsNullOrWhiteSpace(options.LibvipsPath) || options.LibvipsPath.Trim().ToLowerInvariant() is "system" or "bundled" || File.Exists(options.LibvipsPath),
            "LibvipsPath", "must be 'bundled', 'system' or an existing file");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
