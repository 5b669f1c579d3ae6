using ImageProxy.Server.Configuration;
using ImageProxy.Transform;

namespace ImageProxy.Server.Cli;

/// <summary>
/// The sources of a sources file, for signing URLs the way the server verifies them: with a source's LAST secure
/// token (the newest during a rotation). Used by `sign` and by `warm`.
/// </summary>
public sealed class SourceSigner
{
    private readonly IReadOnlyList<SourceDefinition> _byPrefixLength;

    public SourceSigner(IEnumerable<SourceDefinition> sources)
    {
        _byPrefixLength = [.. sources.OrderByDescending(s => s.PathPrefix.Length)];
    }

    /// <exception cref="SourcesFileException">The file is missing or invalid (the message names source and key).</exception>
    public static SourceSigner Load(string? sourcesFile, Func<string, string?> environment) =>
        new(SourcesFile.Load(SourcesFileLocator.Locate(sourcesFile), Limits.Default, environment));

    public SourceDefinition? Find(string name) => _byPrefixLength.FirstOrDefault(s => s.Name == name);

    /// <summary>The source a request path goes to: the longest matching prefix, as the server's SourceRegistry routes.</summary>
    public SourceDefinition? Route(string rawPath) => _byPrefixLength.FirstOrDefault(s =>
        s.PathPrefix == "/" || (rawPath.StartsWith(s.PathPrefix, StringComparison.Ordinal)
                                && (rawPath.Length == s.PathPrefix.Length || rawPath[s.PathPrefix.Length] == '/')));

    /// <summary>
    /// A request target (raw path and query, as sent) with <c>s=</c> appended when its source requires signatures.
    /// Targets of unsigned sources, and targets that already carry an <c>s</c>, are returned unchanged.
    /// </summary>
    public string SignTarget(string rawTarget)
    {
        var question = rawTarget.IndexOf('?');
        var (path, query) = question < 0 ? (rawTarget, string.Empty) : (rawTarget[..question], rawTarget[question..]);
        if (Route(path) is not { RequiresSignature: true } source
            || query.Split(['?', '&']).Any(p => p == "s" || p.StartsWith("s=", StringComparison.Ordinal)))
        {
            return rawTarget;
        }

        var signature = Signature.Compute(source.SecureTokens[^1], path, query);
        return rawTarget + (query.Length > 1 ? "&s=" : query.Length == 1 ? "s=" : "?s=") + signature;
    }
}
