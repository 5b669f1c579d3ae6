namespace ImageProxy.Server.Tests;

/// <summary>
/// What two cache nodes share in the multi-node Redis tests: one origin and one renderer (so their counts are the
/// cluster's totals) and a disk directory each. Disposing it deletes both directories.
/// </summary>
internal sealed class TwoNodes : IDisposable
{
    public TempDirectory DirA { get; } = new();

    public TempDirectory DirB { get; } = new();

    public CountingOrigin Origin { get; } = new();

    public CountingRenderer Renderer { get; } = new();

    public void Dispose()
    {
        DirA.Dispose();
        DirB.Dispose();
    }
}
