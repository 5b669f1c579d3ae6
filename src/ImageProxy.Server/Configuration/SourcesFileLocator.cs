namespace ImageProxy.Server.Configuration;

/// <summary>Finds sources.json when no --sources flag or ImageProxy:SourcesFile setting names one.</summary>
public static class SourcesFileLocator
{
    public const string DefaultRelativePath = "samples/sources.json";

    /// <summary>
    /// An explicit path is used as given (relative to the current directory). Otherwise
    /// samples/sources.json in the current directory, then in the repository root (the first parent of
    /// the current directory or of the app's base directory that holds ImageProxy.sln).
    /// </summary>
    public static string Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var inCurrent = Path.GetFullPath(DefaultRelativePath);
        if (File.Exists(inCurrent))
        {
            return inCurrent;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ImageProxy.sln")))
                {
                    var candidate = Path.Combine(dir.FullName, DefaultRelativePath);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        throw new SourcesFileException(
            $"No sources file: pass --sources FILE (or set ImageProxy__SourcesFile); '{DefaultRelativePath}' was not found in the current directory or the repository root.");
    }
}
