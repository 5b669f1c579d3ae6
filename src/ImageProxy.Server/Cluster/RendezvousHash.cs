using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Server.Cluster;

/// <summary>
/// Highest-random-weight (rendezvous) hashing: a key belongs to the peer with the highest score of (peer, key).
/// Every node computes the same owner from the same peer list without talking to the others; removing a peer
/// moves only its keys, and adding one takes about 1/N of the keys from the rest.
/// </summary>
public static class RendezvousHash
{
    public static string? OwnerOf(string key, IEnumerable<string> peers)
    {
        string? owner = null;
        var best = 0UL;
        foreach (var peer in peers)
        {
            var score = Score(key, peer);
            // Ties (astronomically rare) go to the ordinally smaller name, so every node agrees.
            if (owner is null || score > best || (score == best && string.CompareOrdinal(peer, owner) < 0))
            {
                owner = peer;
                best = score;
            }
        }

        return owner;
    }

    // SHA-256 (in the BCL, a few hundred nanoseconds for these lengths) spreads well; any good mix would do.
    private static ulong Score(string key, string peer)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(peer + "\n" + key), digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }
}
