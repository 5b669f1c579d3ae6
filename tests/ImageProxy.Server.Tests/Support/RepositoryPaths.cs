namespace ImageProxy.Server.Tests;

/// <summary>Finds the repository root (holder of ImageProxy.sln) and the real-image corpus committed under tests/corpus.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/corpus: real images with their source packages and licences in its MANIFEST.tsv.</summary>
    public static string Corpus { get; } = Path.Combine(Root, "tests", "corpus");

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
}
