using System.Text;
using ImageProxy.Imaging;
using ImageProxy.Transform;

namespace ImageProxy.Server.Tests;

/// <summary>
/// Stands in for libvips: the "image" is text naming the plan and the source bytes, so tests can see which
/// original and which plan produced a body. Counts renders and can be slowed down.
/// </summary>
internal sealed class CountingRenderer
{
    private int _renders;

    public int Renders => Volatile.Read(ref _renders);

    public TimeSpan Delay { get; set; }

    /// <summary>When set, renders block until it is signalled (for tests that need a render in progress).</summary>
    public ManualResetEventSlim? Hold { get; set; }

    public RenderResult Render(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, bool detectFaces, OverlayImages? overlays, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renders);
        Hold?.Wait(TimeSpan.FromSeconds(30));
        if (Delay > TimeSpan.Zero)
        {
            Thread.Sleep(Delay);
        }

        var body = Encoding.UTF8.GetBytes($"{CacheKey.Canonical(plan)}|{Convert.ToHexString(source)}");
        return new RenderResult(body, format.Format ?? ImageFormat.Jpeg, 10, 7);
    }
}
