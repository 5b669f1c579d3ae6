using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>Retries with backoff and the per-source circuit breaker, with a scripted inner origin.</summary>
public sealed class ResilientOriginTests
{
    private static readonly OriginResilienceOptions Fast = new()
    {
        MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MinimumThroughput = 4, FailureRatio = 0.5,
        SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(30),
    };

    [Test]
    public async Task A_transient_failure_is_retried_until_it_succeeds()
    {
        var inner = new ScriptedOrigin(_ => throw new OriginUnavailableException("503"), _ => throw new OriginUnavailableException("503"), _ => OriginResult.Ok([1], null, null, null));
        var origin = new ResilientOrigin("s", inner, Fast);

        var result = await origin.FetchAsync("k", OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
        Assert.That(inner.Calls, Is.EqualTo(3));
    }

    [Test]
    public async Task A_404_is_never_retried()
    {
        var inner = new ScriptedOrigin(_ => OriginResult.NotFound);
        var origin = new ResilientOrigin("s", inner, Fast);

        var result = await origin.FetchAsync("k", OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
        Assert.That(inner.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Access_denied_and_timeouts_are_not_retried()
    {
        var denied = new ScriptedOrigin(_ => throw new OriginUnavailableException("403", transient: false));
        var slow = new ScriptedOrigin(_ => throw new OriginTimeoutException("slow"));

        Assert.ThrowsAsync<OriginUnavailableException>(() => new ResilientOrigin("s", denied, Fast).FetchAsync("k", OriginValidators.None, CancellationToken.None));
        Assert.ThrowsAsync<OriginTimeoutException>(() => new ResilientOrigin("s", slow, Fast).FetchAsync("k", OriginValidators.None, CancellationToken.None));
        Assert.That(denied.Calls, Is.EqualTo(1));
        Assert.That(slow.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Repeated_failures_open_the_circuit_and_calls_fail_fast_without_reaching_the_origin()
    {
        var inner = new ScriptedOrigin(_ => throw new OriginUnavailableException("503"));
        var origin = new ResilientOrigin("flaky-source", inner, Fast with { MaxRetries = 0 });

        for (var i = 0; i < 4; i++)
        {
            Assert.CatchAsync(() => origin.FetchAsync("k", OriginValidators.None, CancellationToken.None));
        }

        var callsWhenOpen = inner.Calls;
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => origin.FetchAsync("k", OriginValidators.None, CancellationToken.None));

        Assert.That(thrown!.Message, Does.Contain("circuit open").And.Contain("'flaky-source'"));
        Assert.That(inner.Calls, Is.EqualTo(callsWhenOpen));
    }

    [Test]
    public async Task Each_source_has_its_own_breaker()
    {
        var broken = new ResilientOrigin("a", new ScriptedOrigin(_ => throw new OriginUnavailableException("503")), Fast with { MaxRetries = 0 });
        for (var i = 0; i < 5; i++)
        {
            Assert.CatchAsync(() => broken.FetchAsync("k", OriginValidators.None, CancellationToken.None));
        }

        var healthy = new ResilientOrigin("b", new ScriptedOrigin(_ => OriginResult.NotFound), Fast);
        Assert.That((await healthy.FetchAsync("k", OriginValidators.None, CancellationToken.None)).Status, Is.EqualTo(OriginStatus.NotFound));
    }

    /// <summary>Plays the given steps in order, repeating the last one.</summary>
    private sealed class ScriptedOrigin(params Func<int, OriginResult>[] steps) : IOrigin
    {
        public int Calls { get; private set; }

        public Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
        {
            var step = steps[Math.Min(Calls, steps.Length - 1)];
            Calls++;
            return Task.FromResult(step(Calls));
        }
    }
}
