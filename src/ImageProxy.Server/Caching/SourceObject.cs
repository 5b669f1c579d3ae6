using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Server.Caching;

/// <summary>
/// One original image (source + object key): the unit of purging. Every cached variant, the cached original
/// and the validator record of one object live under <see cref="Hash"/>, so a purge can remove them together.
/// </summary>
public sealed record SourceObject(string Source, string ObjectKey)
{
    /// <summary>Lowercase hex SHA-256 of source and key; fixed-length and safe as a directory or Redis key name.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Source.Replace("\n", "\\n") + "\n" + ObjectKey)));

    /// <summary>
    /// Surrogate keys a CDN can purge by: one for the whole source, one for this object. The object tag is a
    /// hash prefix because object keys may hold spaces or commas, which Surrogate-Key and Cache-Tag cannot carry.
    /// </summary>
    public IReadOnlyList<string> SurrogateKeys => [$"imageproxy-src-{SafeTag(Source)}", $"imageproxy-obj-{Hash[..32]}"];

    private static string SafeTag(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
