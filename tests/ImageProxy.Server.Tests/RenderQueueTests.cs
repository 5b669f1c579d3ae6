using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;

namespace ImageProxy.Server.Tests;

/// <summary>The render queue's deadline and slot: one deadline for waiting and rendering, and no slot handed back early.</summary>
public sealed class RenderQueueTests
{
    private static readonly TimeSpan ShortDeadline = TimeSpan.FromMilliseconds(150);

    private static readonly ImageRequest Request = CacheNode.Request(
        new ImageSource(
            new SourceDefinition("products", "/products", new FolderSourceSettings("/nonexistent")) { CacheMaxAge = 60 },
            new CountingOrigin()),
        "w=10");

    private int _renders;

    [SetUp]
    public void SetUp() => _renders = 0;

    private static RenderResult Picture() => new([1, 2, 3], ImageFormat.Jpeg, 10, 7);

    // A render that honours the deadline, as PlanExecutor does through libvips' cancellation.
    private RenderResult UntilCancelled(byte[] source, TransformPlan plan, FormatDecision format, Limits limits, bool detectFaces, OverlayImages? overlays, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renders);
        cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        cancellationToken.ThrowIfCancellationRequested();
        return Picture();
    }

    [Test]
    public void A_render_that_outlasts_the_deadline_fails_as_a_processing_timeout()
    {
        using var gate = new ProcessingGate(1, 0);
        var queue = new RenderQueue(gate, UntilCancelled, ShortDeadline, metrics: null);

        Assert.ThrowsAsync<ProcessingTimeoutException>(() => queue.RenderAsync([0], Request, overlays: null, new RequestTimings(), CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(queue.Renders, Is.EqualTo(1));
            Assert.That(gate.Admitted, Is.Zero, "the slot is given back");
        });
    }

    [Test]
    public async Task Waiting_for_a_slot_counts_against_the_same_deadline()
    {
        using var gate = new ProcessingGate(1, 1);
        var queue = new RenderQueue(gate, UntilCancelled, ShortDeadline, metrics: null);
        using var busy = await gate.EnterAsync(CancellationToken.None);

        Assert.ThrowsAsync<ProcessingTimeoutException>(() => queue.RenderAsync([0], Request, overlays: null, new RequestTimings(), CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(_renders, Is.Zero, "it never got a slot");
            Assert.That(queue.Renders, Is.Zero);
            Assert.That(gate.Admitted, Is.EqualTo(1), "only the slot held here");
        });
    }

    [Test]
    public async Task The_callers_own_cancellation_is_not_a_timeout()
    {
        using var gate = new ProcessingGate(1, 1);
        var queue = new RenderQueue(gate, UntilCancelled, TimeSpan.FromSeconds(30), metrics: null);
        using var busy = await gate.EnterAsync(CancellationToken.None);
        using var caller = new CancellationTokenSource(ShortDeadline);

        var thrown = Assert.CatchAsync(() => queue.RenderAsync([0], Request, overlays: null, new RequestTimings(), caller.Token));

        Assert.That(thrown, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task The_slot_stays_taken_until_a_render_past_its_deadline_has_really_finished()
    {
        using var gate = new ProcessingGate(1, 0);
        using var release = new ManualResetEventSlim();
        // Native work that does not look at the token: the slot must not be reused while it runs.
        var queue = new RenderQueue(gate, (_, _, _, _, _, _, _) =>
        {
            release.Wait(TimeSpan.FromSeconds(10));
            return Picture();
        }, ShortDeadline, metrics: null);

        var first = queue.RenderAsync([0], Request, overlays: null, new RequestTimings(), CancellationToken.None);
        await Task.Delay(ShortDeadline * 3);
        var refused = Assert.CatchAsync(() => queue.RenderAsync([0], Request, overlays: null, new RequestTimings(), CancellationToken.None));
        release.Set();
        var rendered = await first;

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.InstanceOf<ProcessingRejectedException>(), "no slot and no queue while the first still runs");
            Assert.That(rendered.Bytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(gate.Admitted, Is.Zero);
        });
    }
}
