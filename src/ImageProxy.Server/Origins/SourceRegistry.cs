using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// All configured sources and the routing between them: the longest prefix that matches on a
/// path-segment boundary wins, so "/img" never captures "/images/..." and "/img/thumbs" beats "/img".
/// Matching runs on the raw path, the same text the signature covers.
/// The set of sources can be replaced at run time (sources.json edited): <see cref="Replace"/> swaps one
/// array reference, so a request that already routed keeps the source and origin it started with, and
/// nothing in flight is dropped.
/// </summary>
public sealed class SourceRegistry
{
    private volatile ImageSource[] _byPrefixLength;

    public SourceRegistry(IEnumerable<ImageSource> sources)
    {
        _byPrefixLength = Order(sources);
    }

    public IReadOnlyList<ImageSource> Sources => _byPrefixLength;

    /// <summary>Builds an origin per definition.</summary>
    public static SourceRegistry Create(IEnumerable<SourceDefinition> definitions, IHttpClientFactory httpClientFactory, long folderMaxBytes)
        => new(BuildSources(definitions, folderMaxBytes));

    public static IReadOnlyList<ImageSource> BuildSources(IEnumerable<SourceDefinition> definitions, long folderMaxBytes)
        => definitions.Select(d => new ImageSource(d, OriginFactory.Create(d, folderMaxBytes))).ToArray();

    /// <summary>Installs a new set of sources and returns the old one (its origins may still serve in-flight requests).</summary>
    public IReadOnlyList<ImageSource> Replace(IEnumerable<ImageSource> sources)
        => Interlocked.Exchange(ref _byPrefixLength, Order(sources));

    private static ImageSource[] Order(IEnumerable<ImageSource> sources)
        => sources.OrderByDescending(s => s.Definition.PathPrefix.Length).ToArray();

    public SourceRoute? Route(string rawPath)
    {
        // The ops prefix belongs to the proxy even when a catch-all "/" source exists.
        if (rawPath.Equals(SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase)
            || rawPath.StartsWith(SourcesFile.ReservedPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // One read of the field: a concurrent Replace cannot mix two configurations in one lookup.
        foreach (var source in _byPrefixLength)
        {
            var prefix = source.Definition.PathPrefix;
            if (prefix == "/")
            {
                // The catch-all source: everything no longer prefix took.
                return new SourceRoute(source, rawPath.StartsWith('/') ? rawPath[1..] : rawPath);
            }

            if (!rawPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (rawPath.Length == prefix.Length)
            {
                return new SourceRoute(source, string.Empty);
            }

            if (rawPath[prefix.Length] == '/')
            {
                return new SourceRoute(source, rawPath[(prefix.Length + 1)..]);
            }
        }

        return null;
    }
}
