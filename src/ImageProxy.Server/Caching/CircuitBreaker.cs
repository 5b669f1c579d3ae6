namespace ImageProxy.Server.Caching;

/// <summary>
/// After <c>threshold</c> consecutive failures the circuit opens and callers skip the dependency for
/// <c>openFor</c>; then one trial call is let through (half-open) and its outcome closes or re-opens it.
/// Without this, a dead Redis would add its timeout to every request.
/// </summary>
public sealed class CircuitBreaker(int threshold, TimeSpan openFor, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;
    private bool _trialInFlight;

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _consecutiveFailures >= threshold && (clock.GetUtcNow() < _openUntil || _trialInFlight);
            }
        }
    }

    /// <summary>True when a call may go ahead now; while open, false; once the open period ends, true for one trial.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_consecutiveFailures < threshold)
            {
                return true;
            }

            if (clock.GetUtcNow() < _openUntil || _trialInFlight)
            {
                return false;
            }

            _trialInFlight = true;
            return true;
        }
    }

    public void RecordSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            _trialInFlight = false;
        }
    }

    /// <summary>Returns true when this failure opened the circuit (so the caller logs once per opening).</summary>
    public bool RecordFailure()
    {
        lock (_gate)
        {
            _trialInFlight = false;
            _consecutiveFailures++;
            if (_consecutiveFailures < threshold)
            {
                return false;
            }

            _openUntil = clock.GetUtcNow() + openFor;
            return _consecutiveFailures == threshold;
        }
    }
}
