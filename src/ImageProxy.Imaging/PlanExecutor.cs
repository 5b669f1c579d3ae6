using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>Runs one plan on one source image with libvips. STUB: filled in by the native work.</summary>
public static class PlanExecutor
{
    /// <summary>Header-only read (no pixel decode). Throws <see cref="ImagingException"/> (422) when the bytes are not a supported image.</summary>
    public static SourceFacts Probe(byte[] source) => throw new NotImplementedException();

    /// <summary>
    /// Probe → limits check → <see cref="Geometry.Resolve"/> → steps → encode. Synchronous; checks
    /// <paramref name="cancellationToken"/> between steps. Throws <see cref="ImagingException"/> for client-visible refusals.
    /// </summary>
    public static RenderResult Render(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
