using System.Net;
using System.Reflection;

namespace ImageProxy.Server.Origins;

/// <summary>The one named HttpClient that web origins use, and how its handler is set up.</summary>
public static class OriginHttpClient
{
    public const string Name = "ImageProxy.Origins.Web";

    /// <summary>"ImageProxy/1.2.3", so origin operators can recognise (and allow-list) us.</summary>
    public static readonly string UserAgent = $"ImageProxy/{ProductVersion()}";

    public static SocketsHttpHandler CreateHandler() => new()
    {
        // Redirects are off: a base URL that redirects is a misconfiguration (imgix says the same), and
        // following one would let an origin steer us to hosts nobody configured. A 3xx becomes a 502.
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    public static void Configure(HttpClient client)
    {
        // Each fetch has its own per-source deadline; the client-wide one would only get in the way.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    private static string ProductVersion()
    {
        var version = typeof(OriginHttpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+'); // drop the "+commit" suffix the SDK appends
        return plus >= 0 ? version[..plus] : version;
    }
}
