namespace ImageProxy.Server.Caching;

/// <summary>Parsed arguments of the warm command; exactly one of <see cref="UrlsFile"/> and <see cref="PathsFile"/> is set.</summary>
public sealed record WarmOptions(
    string BaseUrl,
    string? UrlsFile,
    string? PathsFile,
    IReadOnlyList<int> Widths,
    IReadOnlyList<string> Formats,
    string? ExtraParams,
    int Concurrency,
    string? Accept);
