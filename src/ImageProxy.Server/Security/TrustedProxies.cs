using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ImageProxy.Server.Security;

/// <summary>
/// Security:TrustedProxies → <see cref="ForwardedHeadersOptions"/>. Only the configured proxies are trusted: ASP.NET's
/// default of trusting loopback is dropped, so a deployment that names its CDN trusts exactly that.
/// </summary>
public static class TrustedProxies
{
    public static void Configure(ForwardedHeadersOptions options, IEnumerable<string> entries)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        // No fixed hop count: walking right to left stops at the first address that is not a trusted proxy anyway,
        // so a CDN in front of a load balancer works without counting hops.
        options.ForwardLimit = null;
        foreach (var entry in entries)
        {
            if (!TryParse(entry, out var address, out var network))
            {
                continue; // refused at start-up by SecurityOptionsValidator
            }

            if (address is not null)
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(network!.Value);
            }
        }
    }

    /// <summary>An address ("10.0.0.7", "::1") or a network in CIDR form ("10.0.0.0/8").</summary>
    public static bool TryParse(string? entry, out IPAddress? address, out System.Net.IPNetwork? network)
    {
        address = null;
        network = null;
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains('/') && System.Net.IPNetwork.TryParse(text, out var parsed))
        {
            network = parsed;
            return true;
        }

        return IPAddress.TryParse(text, out address);
    }
}
