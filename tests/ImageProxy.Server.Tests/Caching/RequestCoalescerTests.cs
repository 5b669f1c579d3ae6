using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Tests.Caching;

public sealed class RequestCoalescerTests
{
    [Test]
    public async Task ConcurrentCallersShareOneJob()
    {
        var coalescer = new RequestCoalescer<int>();
        var runs = 0;
        var release = new TaskCompletionSource();

        var calls = Enumerable.Range(0, 20).Select(_ => coalescer.RunAsync("k", async () =>
        {
            Interlocked.Increment(ref runs);
            await release.Task;
            return 42;
        }, CancellationToken.None)).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(1));
            Assert.That(results.All(r => r.Value == 42), Is.True);
            Assert.That(results.Count(r => r.Started), Is.EqualTo(1));
            Assert.That(coalescer.InFlight, Is.Zero);
        });
    }

    [Test]
    public async Task TheFirstCallerCancellingDoesNotFailTheOthers()
    {
        var coalescer = new RequestCoalescer<string>();
        var release = new TaskCompletionSource();
        using var firstToken = new CancellationTokenSource();

        var first = coalescer.RunAsync("k", async () => { await release.Task; return "done"; }, firstToken.Token);
        var follower = coalescer.RunAsync("k", () => Task.FromResult("never used"), CancellationToken.None);
        await firstToken.CancelAsync();
        release.SetResult();

        Assert.CatchAsync<OperationCanceledException>(async () => await first);
        Assert.That((await follower).Value, Is.EqualTo("done"));
    }

    [Test]
    public async Task AFailedJobFailsItsCallersAndTheNextCallStartsAfresh()
    {
        var coalescer = new RequestCoalescer<int>();
        Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.RunAsync("k", () => Task.FromException<int>(new InvalidOperationException()), CancellationToken.None));

        var retry = await coalescer.RunAsync("k", () => Task.FromResult(7), CancellationToken.None);

        Assert.That(retry, Is.EqualTo((7, true)));
    }

    [Test]
    public async Task DifferentKeysRunSeparately()
    {
        var coalescer = new RequestCoalescer<string>();
        var a = await coalescer.RunAsync("a", () => Task.FromResult("A"), CancellationToken.None);
        var b = await coalescer.RunAsync("b", () => Task.FromResult("B"), CancellationToken.None);
        Assert.That((a.Value, b.Value), Is.EqualTo(("A", "B")));
    }
}
