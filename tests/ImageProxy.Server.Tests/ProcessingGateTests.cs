namespace ImageProxy.Server.Tests;

public sealed class ProcessingGateTests
{
    [Test]
    public async Task At_most_the_concurrency_runs_and_the_queue_waits()
    {
        using var gate = new ProcessingGate(concurrency: 1, queueLimit: 1);

        var first = await gate.EnterAsync(CancellationToken.None);
        var second = gate.EnterAsync(CancellationToken.None);

        Assert.That(second.IsCompleted, Is.False, "the queued caller waits for the running one");
        first.Dispose();
        (await second).Dispose();
        Assert.That(gate.Admitted, Is.Zero);
    }

    [Test]
    public async Task Past_the_queue_limit_callers_are_rejected_at_once()
    {
        using var gate = new ProcessingGate(concurrency: 1, queueLimit: 1);
        var running = await gate.EnterAsync(CancellationToken.None);
        var queued = gate.EnterAsync(CancellationToken.None);

        Assert.ThrowsAsync<ProcessingRejectedException>(() => gate.EnterAsync(CancellationToken.None));

        running.Dispose();
        (await queued).Dispose();
        (await gate.EnterAsync(CancellationToken.None)).Dispose();
        Assert.That(gate.Admitted, Is.Zero, "rejections and completions leave no count behind");
    }

    [Test]
    public async Task A_cancelled_waiter_gives_its_queue_place_back()
    {
        using var gate = new ProcessingGate(concurrency: 1, queueLimit: 1);
        var running = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token);

        cancel.Cancel();

        Assert.CatchAsync<OperationCanceledException>(() => waiting);
        Assert.That(gate.Admitted, Is.EqualTo(1));
        running.Dispose();
    }

    [Test]
    public async Task Disposing_a_slot_twice_releases_it_once()
    {
        using var gate = new ProcessingGate(concurrency: 1, queueLimit: 0);
        var slot = await gate.EnterAsync(CancellationToken.None);

        slot.Dispose();
        slot.Dispose();

        var again = await gate.EnterAsync(CancellationToken.None);
        Assert.ThrowsAsync<ProcessingRejectedException>(() => gate.EnterAsync(CancellationToken.None));
        again.Dispose();
    }
}
