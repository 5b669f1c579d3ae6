namespace ImageProxy.Server.Tests.Caching.Support;

/// <summary>A clock the test moves by hand, for max-age, stale-if-error and expiry.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
