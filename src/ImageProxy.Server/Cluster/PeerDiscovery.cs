using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Cluster;

/// <summary>
/// Resolves ImageProxy:Cluster:PeersDns (a headless Service in Kubernetes: one record per ready pod) every
/// PeersDnsRefreshSeconds and hands the addresses to <see cref="ClusterMembership"/>. A failed lookup keeps the last
/// answer: a DNS hiccup must not shrink the cluster to one node and move every key.
/// </summary>
public sealed class PeerDiscovery(ClusterMembership membership, IOptions<ClusterOptions> options, ILogger<PeerDiscovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || string.IsNullOrWhiteSpace(settings.PeersDns))
        {
            return;
        }

        var self = new Uri(membership.Self);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, settings.PeersDnsRefreshSeconds)));
        do
        {
            await RefreshAsync(settings.PeersDns, self, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAsync(string name, Uri self, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(name, cancellationToken);
            var peers = addresses.Select(address => PeerUrl(self, address)).ToArray();
            membership.SetDiscovered(peers);
            logger.LogDebug("Cluster DNS {Name}: {Count} peers", name, peers.Length);
        }
        catch (SocketException ex)
        {
            logger.LogWarning("Cluster DNS {Name} failed ({Error}); keeping the last peer list", name, ex.SocketErrorCode);
        }
    }

    /// <summary>The peer at <paramref name="address"/>, reached as this node is (same scheme and port).</summary>
    public static string PeerUrl(Uri self, IPAddress address)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"{self.Scheme}://{host}:{self.Port}";
    }
}
