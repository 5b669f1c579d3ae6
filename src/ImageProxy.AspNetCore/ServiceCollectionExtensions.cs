using ImageProxy.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageProxy.AspNetCore;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the URL and srcset builders the TagHelpers use, configured from <paramref name="configuration"/>'s
    /// <c>ImageProxyClient</c> section. Add <c>@addTagHelper *, ImageProxy.AspNetCore</c> to _ViewImports.cshtml.
    /// </summary>
    public static IServiceCollection AddImageProxyTagHelpers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ImageProxyTagHelperOptions>(configuration.GetSection(ImageProxyTagHelperOptions.SectionName));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ImageProxyTagHelperOptions>>().Value;
            return new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = options.BaseUrl, SecureToken = options.SecureToken });
        });
        services.AddSingleton(provider => new SrcsetBuilder(provider.GetRequiredService<ImageUrlBuilder>()));
        return services;
    }
}
