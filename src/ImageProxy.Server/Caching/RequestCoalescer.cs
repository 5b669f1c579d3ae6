using System.Collections.Concurrent;

namespace ImageProxy.Server.Caching;

/// <summary>
/// One in-flight job per key; identical concurrent requests await the same task. The job runs on its own
/// (it is not given any caller's token), so the first caller going away does not fail the followers;
/// each caller stops waiting when its own token fires. The job bounds itself (processing timeout).
/// </summary>
public sealed class RequestCoalescer<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Jobs currently running (for tests and diagnostics).</summary>
    public int InFlight => _inFlight.Count;

    /// <returns>The job's value, and whether this caller started the job.</returns>
    public async Task<(T Value, bool Started)> RunAsync(string key, Func<Task<T>> job, CancellationToken cancellationToken)
    {
        Lazy<Task<T>>? mine = null;
        mine = new Lazy<Task<T>>(() => RunAndForgetAsync(key, mine!, job), LazyThreadSafetyMode.ExecutionAndPublication);
        var current = _inFlight.GetOrAdd(key, mine);
        var value = await current.Value.WaitAsync(cancellationToken);
        return (value, ReferenceEquals(current, mine));
    }

    private async Task<T> RunAndForgetAsync(string key, Lazy<Task<T>> self, Func<Task<T>> job)
    {
        try
        {
            // Yield first so the job never runs inline inside GetOrAdd's Lazy on the caller's stack.
            await Task.Yield();
            return await job();
        }
        finally
        {
            // Remove exactly this job: a newer one under the same key must stay.
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, self));
        }
    }
}
