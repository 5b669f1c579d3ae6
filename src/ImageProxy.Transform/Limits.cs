namespace ImageProxy.Transform;

/// <summary>Safety limits supplied by the host (global defaults, overridable per source).</summary>
public sealed record Limits
{
    public static readonly Limits Default = new();
    public long MaxSourceBytes { get; init; } = 50L * 1024 * 1024;
    public long MaxSourcePixels { get; init; } = 50_000_000;
    public int MaxSourceFrames { get; init; } = 100;
    /// <summary>Largest output side; larger requests are sized down proportionally (imgix: 8192).</summary>
    public int MaxOutputSide { get; init; } = 8192;
    public long MaxOutputPixels { get; init; } = 50_000_000;
    public double MaxDpr { get; init; } = 5;
}
