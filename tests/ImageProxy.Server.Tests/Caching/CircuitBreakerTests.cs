using ImageProxy.Server.Caching;
using ImageProxy.Server.Tests.Caching.Support;

namespace ImageProxy.Server.Tests.Caching;

public sealed class CircuitBreakerTests
{
    [Test]
    public void OpensAfterTheThresholdAndLetsOneTrialThroughAfterTheOpenPeriod()
    {
        var clock = new ManualClock();
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(10), clock);

        Assert.That(breaker.RecordFailure(), Is.False);
        Assert.That(breaker.RecordFailure(), Is.False);
        Assert.That(breaker.RecordFailure(), Is.True, "the opening failure is reported once");
        Assert.That(breaker.TryEnter(), Is.False);

        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.That(breaker.TryEnter(), Is.True, "trial");
        Assert.That(breaker.TryEnter(), Is.False, "only one trial at a time");
        breaker.RecordFailure();
        Assert.That(breaker.TryEnter(), Is.False, "a failed trial re-opens");

        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.That(breaker.TryEnter(), Is.True);
        breaker.RecordSuccess();
        Assert.That(breaker.TryEnter() && breaker.TryEnter(), Is.True, "closed again");
        Assert.That(breaker.IsOpen, Is.False);
    }
}
