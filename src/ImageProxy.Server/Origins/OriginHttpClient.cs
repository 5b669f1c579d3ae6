using System.Reflection;

namespace ImageProxy.Server.Origins;

/// <summary>What every origin request says about us (the web and proxy fetchers, and the GCS client).</summary>
public static class OriginHttpClient
{
    /// <summary>"ImageProxy/1.2.3", so origin operators can recognise (and allow-list) us.</summary>
    public static readonly string UserAgent = $"ImageProxy/{ProductVersion()}";

    private static string ProductVersion()
    {
        var version = typeof(OriginHttpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+'); // drop the "+commit" suffix the SDK appends
        return plus >= 0 ? version[..plus] : version;
    }
}
