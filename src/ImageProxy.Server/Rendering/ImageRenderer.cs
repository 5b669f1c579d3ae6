using ImageProxy.Imaging;
using ImageProxy.Transform;

namespace ImageProxy.Server;

/// <summary>
/// The render step as ImageService sees it: <see cref="PlanExecutor.Render"/> in production. A delegate
/// rather than a static call so the cache tests can count renders without libvips. <c>detectFaces</c> is the
/// source's faceDetection switch; <c>overlays</c> the bytes of the mark, blend and mask images.
/// </summary>
public delegate RenderResult ImageRenderer(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, bool detectFaces, OverlayImages? overlays, CancellationToken cancellationToken);
