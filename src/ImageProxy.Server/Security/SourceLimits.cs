using ImageProxy.Transform;

namespace ImageProxy.Server.Security;

/// <summary>
/// A source's own overrides of the global <see cref="Limits"/> (sources.json "limits"); null members keep the
/// global value. A source can be stricter (user uploads) or looser (a trusted archive of large scans) than the rest.
/// </summary>
public sealed record SourceLimits(
    long? MaxSourceBytes = null,
    long? MaxSourcePixels = null,
    int? MaxSourceFrames = null,
    int? MaxOutputSide = null,
    long? MaxOutputPixels = null,
    double? MaxDpr = null)
{
    /// <summary>The sources.json keys, as written there.</summary>
    public static readonly string[] Keys = ["maxSourceBytes", "maxSourcePixels", "maxSourceFrames", "maxOutputSide", "maxOutputPixels", "maxDpr"];

    public Limits ApplyTo(Limits global) => global with
    {
        MaxSourceBytes = MaxSourceBytes ?? global.MaxSourceBytes,
        MaxSourcePixels = MaxSourcePixels ?? global.MaxSourcePixels,
        MaxSourceFrames = MaxSourceFrames ?? global.MaxSourceFrames,
        MaxOutputSide = MaxOutputSide ?? global.MaxOutputSide,
        MaxOutputPixels = MaxOutputPixels ?? global.MaxOutputPixels,
        MaxDpr = MaxDpr ?? global.MaxDpr,
    };
}
