using System.Net;
using ImageProxy.Server.Cluster;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Tests.Cluster;

public sealed class RendezvousHashTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(0, 20_000).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))))];
    private static readonly string[] Three = ["http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080"];

    [Test]
    public void Every_node_computes_the_same_owner_whatever_order_it_lists_the_peers_in()
    {
        var reversed = Three.Reverse().ToArray();
        Assert.That(Keys.Take(2000).All(k => RendezvousHash.OwnerOf(k, Three) == RendezvousHash.OwnerOf(k, reversed)), Is.True);
    }

    [Test]
    public void Keys_spread_evenly_over_three_peers()
    {
        var shares = Keys.GroupBy(k => RendezvousHash.OwnerOf(k, Three)).ToDictionary(g => g.Key!, g => g.Count() / (double)Keys.Length);
        Assert.That(shares.Keys, Is.EquivalentTo(Three));
        Assert.That(shares.Values, Has.All.InRange(0.30, 0.37));
    }

    [Test]
    public void Adding_a_fourth_peer_moves_about_a_quarter_of_the_keys_all_to_the_new_peer()
    {
        string[] four = [.. Three, "http://10.0.0.4:8080"];
        var moved = Keys.Where(k => RendezvousHash.OwnerOf(k, Three) != RendezvousHash.OwnerOf(k, four)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(moved.Length / (double)Keys.Length, Is.InRange(0.22, 0.28));
            Assert.That(moved.Select(k => RendezvousHash.OwnerOf(k, four)).Distinct(), Is.EqualTo(new[] { "http://10.0.0.4:8080" }));
        });
    }

    [Test]
    public void Removing_a_peer_moves_only_its_own_keys()
    {
        string[] two = [Three[0], Three[1]];
        var changed = Keys.Where(k => RendezvousHash.OwnerOf(k, Three) != RendezvousHash.OwnerOf(k, two));
        Assert.That(changed.Select(k => RendezvousHash.OwnerOf(k, Three)).Distinct(), Is.EqualTo(new[] { Three[2] }));
    }

    [Test]
    public void A_peer_marked_down_loses_its_keys_until_its_time_out_is_over()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var membership = new ClusterMembership(Options.Create(new ClusterOptions
        {
            Self = "http://10.0.0.1:8080", Peers = "http://10.0.0.2:8080, HTTP://10.0.0.3:8080/", PeerDownSeconds = 15,
        }), clock);
        var ownedByThird = Keys.First(k => membership.OwnerOf(k) == "http://10.0.0.3:8080");

        membership.MarkDown("http://10.0.0.3:8080");
        var whileDown = membership.OwnerOf(ownedByThird);
        clock.Advance(TimeSpan.FromSeconds(16));

        Assert.Multiple(() =>
        {
            Assert.That(membership.Peers, Is.EqualTo(Three), "normalised: scheme and host lower-case, no path");
            Assert.That(whileDown, Is.EqualTo(RendezvousHash.OwnerOf(ownedByThird, Three[..2])));
            Assert.That(membership.OwnerOf(ownedByThird), Is.EqualTo("http://10.0.0.3:8080"), "back after PeerDownSeconds");
        });
    }

    [Test]
    public async Task Peers_from_DNS_are_reached_on_this_nodes_scheme_and_port_and_join_the_configured_ones()
    {
        var membership = new ClusterMembership(Options.Create(new ClusterOptions { Self = "http://127.0.0.2:9123", PeersDns = "localhost" }), TimeProvider.System);
        var discovery = new PeerDiscovery(membership, Options.Create(new ClusterOptions()), NullLogger<PeerDiscovery>.Instance);

        await discovery.RefreshAsync("localhost", new Uri(membership.Self), CancellationToken.None);
        var expected = (await Dns.GetHostAddressesAsync("localhost")).Select(a => PeerDiscovery.PeerUrl(new Uri("http://x:9123"), a)).Append("http://127.0.0.2:9123");

        Assert.Multiple(() =>
        {
            Assert.That(membership.Peers, Does.Contain("http://127.0.0.1:9123"));
            Assert.That(membership.Peers, Is.EquivalentTo(expected.Distinct()));
        });
        await discovery.RefreshAsync("no-such-host.invalid", new Uri(membership.Self), CancellationToken.None);
        Assert.That(membership.Peers, Does.Contain("http://127.0.0.1:9123"), "a failed lookup keeps the last peer list");
    }
}
