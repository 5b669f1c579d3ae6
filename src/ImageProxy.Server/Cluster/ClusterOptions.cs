namespace ImageProxy.Server.Cluster;

/// <summary>
/// ImageProxy:Cluster. Off unless <see cref="Self"/> is set. Peers come from <see cref="Peers"/> (a fixed list) and/or
/// <see cref="PeersDns"/> (a name resolving to every pod's address, e.g. a Kubernetes headless Service).
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "ImageProxy:Cluster";

    /// <summary>This node's own base URL as its peers reach it (http://10.0.0.5:8080); it is one of the peers.</summary>
    public string? Self { get; set; }

    /// <summary>Comma-separated base URLs of all nodes (this one may be listed too).</summary>
    public string? Peers { get; set; }

    /// <summary>A DNS name whose A/AAAA records are the nodes; each becomes Self's scheme://address:port.</summary>
    public string? PeersDns { get; set; }

    public int PeersDnsRefreshSeconds { get; set; } = 10;

    /// <summary>Shared secret on every hop; required when the cluster is on (a peer answers only hops carrying it).</summary>
    public string? Token { get; set; }

    /// <summary>How long an unreachable peer stays out of the ring before it is tried again.</summary>
    public int PeerDownSeconds { get; set; } = 15;

    /// <summary>A peer that does not accept a connection within this is unreachable (a killed pod's address can black-hole).</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 1000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Self);
}
