using System.Net;
using System.Net.Sockets;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Which IP addresses an outbound origin fetch may connect to. The check runs on the address actually
/// dialled (see <see cref="GuardedConnector"/>), never on a host name, so neither DNS tricks nor
/// alternative spellings of an address (decimal, IPv4-mapped IPv6) can reach an internal service.
/// </summary>
public static class OriginAddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    /// <summary>The policy for a source: metadata endpoints are refused always; private ranges unless allowed.</summary>
    public static Func<IPAddress, bool> For(bool allowPrivateAddresses)
        => allowPrivateAddresses ? address => !IsMetadata(address) : address => !IsMetadata(address) && !IsPrivate(address);

    /// <summary>
    /// Cloud instance-metadata endpoints hand out credentials; no source ever needs them, so they stay
    /// refused even when a source allows private addresses for on-prem origins or tests.
    /// </summary>
    public static bool IsMetadata(IPAddress address)
    {
        address = Normalise(address);
        return address.AddressFamily == AddressFamily.InterNetwork
            ? address.Equals(IPAddress.Parse("169.254.169.254")) || address.Equals(IPAddress.Parse("169.254.170.2"))
            : address.Equals(AwsMetadataV6);
    }

    /// <summary>Loopback, RFC 1918, link-local, CGNAT, "this network", multicast, broadcast, IPv6 ULA/site-local and the like.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        address = Normalise(address);
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0                                    // 0.0.0.0/8 "this network" (0.0.0.0 reaches localhost on Linux)
                || b[0] == 10                                   // 10/8
                || (b[0] == 100 && (b[1] & 0xC0) == 64)         // 100.64/10 CGNAT: carrier-internal, often cloud-internal too
                || b[0] == 127
                || (b[0] == 169 && b[1] == 254)                 // link-local, includes the metadata address
                || (b[0] == 172 && (b[1] & 0xF0) == 16)         // 172.16/12
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)      // 192.0.0/24 IETF protocol assignments
                || (b[0] == 192 && b[1] == 168)                 // 192.168/16
                || (b[0] == 198 && (b[1] & 0xFE) == 18)         // 198.18/15 benchmarking
                || b[0] >= 224;                                 // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.Equals(IPAddress.IPv6None)           // ::
                || (b[0] & 0xFE) == 0xFC                        // fc00::/7 unique local (includes fd00:ec2::254)
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)      // fe80::/10 link-local
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)      // fec0::/10 site-local (deprecated, still routable inside)
                || b[0] == 0xFF                                 // multicast
                || IsEmbeddedPrivateV4(b);
        }

        return true; // unknown families: refuse
    }

    // IPv4-mapped addresses (::ffff:a.b.c.d) are how a dual-stack socket reaches IPv4; judge the IPv4 inside.
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address that the network will translate to.
    private static bool IsEmbeddedPrivateV4(byte[] b)
    {
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.Skip(4).Take(8).All(x => x == 0))
        {
            return IsPrivate(new IPAddress(b[12..16]));
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPrivate(new IPAddress(b[2..6]));
        }

        // IPv4-compatible ::a.b.c.d (deprecated) with the first 12 bytes zero.
        return b.Take(12).All(x => x == 0) && IsPrivate(new IPAddress(b[12..16]));
    }
}
