namespace ImageProxy.Server.Caching;

/// <summary>Parsed arguments of the warm command; exactly one of <see cref="UrlsFile"/> and <see cref="PathsFile"/> is set;
/// with a <see cref="Signer"/> the targets of signed sources are signed.</summary>
public sealed record WarmOptions(
    string BaseUrl,
    string? UrlsFile,
    string? PathsFile,
    IReadOnlyList<int> Widths,
    IReadOnlyList<string> Formats,
    string? ExtraParams,
    int Concurrency,
    string? Accept,
    Cli.SourceSigner? Signer = null);
