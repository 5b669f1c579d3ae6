namespace ImageProxy.Server;

/// <summary>
/// Bounded render concurrency with a bounded wait queue (imgproxy workers, imagor queueSema). Renders are
/// CPU- and memory-heavy; letting every request start one at once only makes all of them slow, so at most
/// <c>concurrency</c> run and <c>queueLimit</c> wait. Past that the caller is told to come back (429)
/// instead of piling up memory.
/// </summary>
public sealed class ProcessingGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly int _concurrency;
    private int _admitted; // running + waiting

    public ProcessingGate(int concurrency, int queueLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _capacity = concurrency + queueLimit;
        _concurrency = concurrency;
    }

    /// <summary>Requests currently running or waiting.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Requests admitted but still waiting for a slot (imageproxy_queue_depth).</summary>
    public int Waiting => Math.Max(0, Admitted - (_concurrency - _slots.CurrentCount));

    /// <summary>Waits for a slot; throws <see cref="ProcessingRejectedException"/> at once when the queue is full.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw new ProcessingRejectedException();
        }

        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    private void Leave()
    {
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    private sealed class Slot(ProcessingGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Leave();
            }
        }
    }
}
