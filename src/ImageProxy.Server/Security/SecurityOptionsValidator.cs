using ImageProxy.Server.Configuration;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Security;

/// <summary>Start-up validation of <see cref="SecurityOptions"/>; a second validator of ProxyOptions, each failure names its key.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var security = options.Security;
        if (security is null)
        {
            return ValidateOptionsResult.Fail("ImageProxy:Security is required");
        }

        var failures = new List<string>();
        const string prefix = ProxyOptions.SectionName + ":Security:";
        // Below ~256 even ordinary signed URLs with a few parameters would be refused; that is a typo, not a policy.
        if (security.MaxUrlLength < 256)
        {
            failures.Add(prefix + "MaxUrlLength must be at least 256");
        }

        if (security.RequestTimeoutSeconds <= 0)
        {
            failures.Add(prefix + "RequestTimeoutSeconds must be greater than 0");
        }

        if (security.RateLimit is null)
        {
            failures.Add(prefix + "RateLimit is required");
        }
        else
        {
            if (security.RateLimit.PermitsPerSecond < 0)
            {
                failures.Add(prefix + "RateLimit:PermitsPerSecond must be 0 (off) or more");
            }

            if (security.RateLimit.Burst < 0)
            {
                failures.Add(prefix + "RateLimit:Burst must be 0 (same as PermitsPerSecond) or more");
            }
        }

        foreach (var proxy in security.TrustedProxies ?? [])
        {
            if (!TrustedProxies.TryParse(proxy, out _, out _))
            {
                failures.Add($"{prefix}TrustedProxies: '{proxy}' is neither an IP address nor a network (address/prefix)");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
