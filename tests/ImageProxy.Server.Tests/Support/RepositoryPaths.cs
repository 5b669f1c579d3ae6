namespace ImageProxy.Server.Tests;

/// <summary>Finds the repository root (holder of ImageProxy.sln) and the shared image corpus next to it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared corpus (…/shared/corpus/public), searched in the parents of the repository; null when absent.</summary>
    public static string? Corpus { get; } = FindCorpus();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageProxy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ImageProxy.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindCorpus()
    {
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "public");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
