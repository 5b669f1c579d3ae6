using ImageProxy.Server.Configuration;
using ImageProxy.Server.Http;
using ImageProxy.Server.Origins;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Security;

/// <summary>Wires the request-level protections into the composition root (two calls from Program).</summary>
public static class SecurityRegistration
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ProxyOptions>, SecurityOptionsValidator>();
        // "Server: Kestrel" tells an attacker which parser bugs to try; it serves no client.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        services.Configure<ForwardedHeadersOptions>(options =>
            TrustedProxies.Configure(options, configuration.GetSection($"{ProxyOptions.SectionName}:Security:TrustedProxies").Get<List<string>>() ?? []));

        var rateLimit = configuration.GetSection($"{ProxyOptions.SectionName}:Security:RateLimit").Get<RateLimitSettings>() ?? new RateLimitSettings();
        if (rateLimit.Enabled)
        {
            services.AddRateLimiter(options => ClientRateLimiting.Configure(options, rateLimit));
        }

        return services;
    }

    /// <summary>
    /// Adds the middleware, outermost first: forwarded headers from trusted proxies (when configured), headers (so even a 414 or 429 carries them), URL length (the cheapest
    /// refusal, before anything reads the URL), the per-client rate limit (when on, it counts every request, repeats
    /// included), the response memo (a repeat of a response already served needs none of what follows), then the
    /// whole-request deadline.
    /// Also enforces RequireSignedUrls; call after the sources are loaded and before the endpoints are mapped.
    /// </summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Security;
        if (security.RequireSignedUrls)
        {
            var unsigned = app.Services.GetRequiredService<SourceRegistry>().Sources
                .Where(source => !source.Definition.RequiresSignature)
                .Select(source => source.Name)
                .ToArray();
            if (unsigned.Length > 0)
            {
                // Fail closed at start-up: serving unsigned URLs while the operator believes everything is signed is
                // worse than not starting.
                throw new SourcesFileException(
                    $"ImageProxy:Security:RequireSignedUrls is on, but these sources have no secureTokens: {string.Join(", ", unsigned)}.");
            }
        }

        if (security.TrustedProxies.Count > 0)
        {
            // First: everything after it, the rate limiter above all, sees the client the trusted proxies name.
            app.UseForwardedHeaders();
        }

        app.Use(SecurityHeaders.InvokeAsync);
        var maxUrlLength = security.MaxUrlLength;
        app.Use((context, next) => UrlLengthGuard.InvokeAsync(context, next, maxUrlLength));
        if (security.RateLimit.Enabled)
        {
            app.UseRateLimiter();
        }

        app.Use(app.Services.GetRequiredService<ResponseMemo>().InvokeAsync);

        var timeout = TimeSpan.FromSeconds(security.RequestTimeoutSeconds);
        app.Use((context, next) => RequestDeadline.InvokeAsync(context, next, timeout));
        return app;
    }
}
