using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Cluster;

public static class ClusterRegistration
{
    /// <summary>Always registered (the image endpoint asks it); inert unless ImageProxy:Cluster:Self is set.</summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.SectionName))
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Token),
                "ImageProxy:Cluster:Token is required when ImageProxy:Cluster:Self is set (peers accept only hops carrying it)")
            .Validate(o => !o.Enabled || IsValidList(o.Self) && IsValidList(o.Peers),
                "ImageProxy:Cluster:Self and Peers must be http(s) URLs (Peers comma-separated)")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.Peers) || !string.IsNullOrWhiteSpace(o.PeersDns),
                "ImageProxy:Cluster needs Peers or PeersDns besides Self")
            .ValidateOnStart();
        services.AddHttpForwarder();
        services.AddSingleton<ClusterMembership>();
        services.AddSingleton<ClusterForwarder>();
        services.AddHostedService<PeerDiscovery>();
        return services;
    }

    private static bool IsValidList(string? urls)
    {
        try
        {
            _ = ClusterMembership.ParseList(urls);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
