using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// All configured sources and the routing between them: the longest prefix that matches on a
/// path-segment boundary wins, so "/img" never captures "/images/..." and "/img/thumbs" beats "/img".
/// Matching runs on the raw path, the same text the signature covers.
/// </summary>
public sealed class SourceRegistry
{
    private readonly ImageSource[] _byPrefixLength;

    public SourceRegistry(IEnumerable<ImageSource> sources)
    {
        _byPrefixLength = sources.OrderByDescending(s => s.Definition.PathPrefix.Length).ToArray();
    }

    public IReadOnlyList<ImageSource> Sources => _byPrefixLength;

    /// <summary>Builds an origin per definition.</summary>
    public static SourceRegistry Create(IEnumerable<SourceDefinition> definitions, IHttpClientFactory httpClientFactory, long folderMaxBytes)
        => new(definitions.Select(d => new ImageSource(d, CreateOrigin(d, httpClientFactory, folderMaxBytes))));

    public SourceRoute? Route(string rawPath)
    {
        // The ops prefix belongs to the proxy even when a catch-all "/" source exists.
        if (rawPath.Equals(SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase)
            || rawPath.StartsWith(SourcesFile.ReservedPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

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

    private static IOrigin CreateOrigin(SourceDefinition definition, IHttpClientFactory httpClientFactory, long folderMaxBytes) => definition.Kind switch
    {
        SourceKind.Folder => new FolderOrigin(definition.Folder!.Root, definition.Limits?.MaxSourceBytes ?? folderMaxBytes),
        SourceKind.Web => new WebOrigin(httpClientFactory, definition.Web!),
        _ => throw new SourcesFileException($"Source '{definition.Name}': kind {definition.Kind} has no origin."),
    };
}
