namespace ImageProxy.Server.Caching;

/// <summary>Thread-safe counts for the warm command's progress line and summary.</summary>
public sealed class WarmTally
{
    private int _hits;
    private int _misses;
    private int _failures;

    public int Hits => Volatile.Read(ref _hits);

    public int Misses => Volatile.Read(ref _misses);

    public int Failures => Volatile.Read(ref _failures);

    public int Done => Hits + Misses + Failures;

    public void Record(WarmOutcome outcome)
    {
        switch (outcome)
        {
            case WarmOutcome.Hit:
                Interlocked.Increment(ref _hits);
                break;
            case WarmOutcome.Miss:
                Interlocked.Increment(ref _misses);
                break;
            default:
                Interlocked.Increment(ref _failures);
                break;
        }
    }
}
