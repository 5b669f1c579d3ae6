using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// All configured sources and the routing between them: the longest prefix that matches on a
/// path-segment boundary wins, so "/img" never captures "/images/..." and "/img/thumbs" beats "/img".
/// Matching runs on the raw path, the same text the signature covers.
/// The set of sources can be replaced at run time (sources.json edited): <see cref="Replace"/> swaps one
/// array reference, so a request that already routed keeps the source and origin it started with, and
/// nothing in flight is dropped. Each set has a generation number, carried by every route made from it, so
/// anything remembered per route (the response memo) can tell that it was made under another configuration.
/// </summary>
public sealed class SourceRegistry
{
    private volatile SourceSet _current;

    public SourceRegistry(IEnumerable<ImageSource> sources)
    {
        _current = new SourceSet(Order(sources), 0);
    }

    public IReadOnlyList<ImageSource> Sources => _current.ByPrefixLength;

    /// <summary>Goes up by one with every <see cref="Replace"/>.</summary>
    public long Generation => _current.Generation;

    /// <summary>Builds an origin per definition.</summary>
    public static IReadOnlyList<ImageSource> BuildSources(IEnumerable<SourceDefinition> definitions)
        => definitions.Select(d => new ImageSource(d, OriginFactory.Create(d))).ToArray();

    /// <summary>Installs a new set of sources and returns the old one (its origins may still serve in-flight requests).</summary>
    public IReadOnlyList<ImageSource> Replace(IEnumerable<ImageSource> sources)
    {
        var ordered = Order(sources);
        SourceSet previous, next;
        do
        {
            previous = _current;
            next = new SourceSet(ordered, previous.Generation + 1);
        }
        while (Interlocked.CompareExchange(ref _current, next, previous) != previous);

        return previous.ByPrefixLength;
    }

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
        var current = _current;
        foreach (var source in current.ByPrefixLength)
        {
            var prefix = source.Definition.PathPrefix;
            if (prefix == "/")
            {
                // The catch-all source: everything no longer prefix took.
                return new SourceRoute(source, rawPath.StartsWith('/') ? rawPath[1..] : rawPath, current.Generation);
            }

            if (!rawPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (rawPath.Length == prefix.Length)
            {
                return new SourceRoute(source, string.Empty, current.Generation);
            }

            if (rawPath[prefix.Length] == '/')
            {
                return new SourceRoute(source, rawPath[(prefix.Length + 1)..], current.Generation);
            }
        }

        return null;
    }

    private sealed record SourceSet(ImageSource[] ByPrefixLength, long Generation);
}
