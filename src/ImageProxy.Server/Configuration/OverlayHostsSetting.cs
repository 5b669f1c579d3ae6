using System.Text.RegularExpressions;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// sources.json <c>"overlayHosts"</c>: the hosts an absolute <c>mark</c>, <c>blend</c> or <c>mask</c> URL may point at,
/// in the proxy's <c>allowedHosts</c> form ("cdn.example.com" or "*.example.com"). Absent or empty: no URL overlays.
/// </summary>
internal static partial class OverlayHostsSetting
{
    public const string Key = "overlayHosts";

    public static IReadOnlyList<string> Check(SourceCheck check, IReadOnlyList<string> hosts)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!HostShape().IsMatch(hosts[i]))
            {
                throw check.Error($"{Key}[{i}]", "must be a host name or '*.' followed by a domain (no scheme, port or path)");
            }
        }

        return hosts;
    }

    [GeneratedRegex(@"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostShape();
}
