using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Cluster;

/// <summary>
/// Who is in the cluster and who is currently reachable. Peers are the configured list, plus what DNS last said
/// (<see cref="PeerDiscovery"/>), plus this node. A peer that failed a hop sits out for PeerDownSeconds, so its
/// keys fall to the next-highest scorer (locally, on the node that noticed) and come back once it answers again.
/// </summary>
public sealed class ClusterMembership
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _downFor;
    private readonly string[] _configured;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _downUntil = new(StringComparer.Ordinal);
    private volatile string[] _peers;

    public ClusterMembership(IOptions<ClusterOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        _clock = clock;
        _downFor = TimeSpan.FromSeconds(settings.PeerDownSeconds);
        Self = settings.Enabled ? Normalize(settings.Self!) : string.Empty;
        _configured = ParseList(settings.Peers);
        _peers = Merge([]);
    }

    /// <summary>This node, as scheme://host:port.</summary>
    public string Self { get; }

    /// <summary>Every known node, this one included, in ordinal order.</summary>
    public IReadOnlyList<string> Peers => _peers;

    /// <summary>The node that renders <paramref name="key"/>: the highest rendezvous score among the peers not marked down.</summary>
    public string OwnerOf(string key)
    {
        var now = _clock.GetUtcNow();
        return RendezvousHash.OwnerOf(key, _peers.Where(peer => peer == Self || !IsDown(peer, now))) ?? Self;
    }

    public void MarkDown(string peer) => _downUntil[peer] = _clock.GetUtcNow() + _downFor;

    /// <summary>Replaces the DNS-discovered part of the peer list (the configured peers and Self always stay).</summary>
    public void SetDiscovered(IEnumerable<string> discovered) => _peers = Merge(discovered.Select(Normalize));

    /// <summary>scheme://host:port, lower-case, no path: the one spelling every node must agree on for the hash.</summary>
    public static string Normalize(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{url}' is not an http(s) URL", nameof(url));
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    public static string[] ParseList(string? peers) =>
        [.. (peers ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Normalize)];

    private bool IsDown(string peer, DateTimeOffset now) => _downUntil.TryGetValue(peer, out var until) && until > now;

    private string[] Merge(IEnumerable<string> discovered) =>
        [.. _configured.Concat(discovered).Append(Self).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
