using System.Diagnostics;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Wraps a coalesced job so that, with a shared Redis tier, one node runs it for all: the others poll for the result
/// it stores. Without Redis (no <see cref="RedisRenderLock"/>) only this node's coalescer applies, and the job is
/// only checked against what a just-finished job produced.
/// </summary>
public sealed class CrossNodeLock(RedisRenderLock? locks, ResultCacheOptions settings)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <param name="key">The job's key: also the variant key the job stores under while the record is unchanged.</param>
    /// <param name="producedMeanwhile">The result when another job (here or on another node) has already stored it; null when not yet.</param>
    /// <param name="produce">Fetch, render and store.</param>
    public async Task<T> RunAsync<T>(string key, Func<Task<T?>> producedMeanwhile, Func<Task<T>> produce)
        where T : class
    {
        RenderLease? lease = null;
        if (locks is not null)
        {
            lease = await locks.TryAcquireAsync(key, TimeSpan.FromMilliseconds(settings.RenderLockMilliseconds));
            if (lease is null)
            {
                return await WaitForHolderAsync(producedMeanwhile, TimeSpan.FromMilliseconds(settings.RenderLockWaitMilliseconds))
                    ?? await produce();
            }
        }

        try
        {
            // Double-checked under the lock: the caller read the record before this job started, and the job that
            // served the others (on this node or another) may have finished and released the lock in between; the
            // lock being free says nothing about the result. Without this look a late caller fetched and rendered again.
            return await producedMeanwhile() ?? await produce();
        }
        finally
        {
            if (lease is not null && locks is not null)
            {
                await locks.ReleaseAsync(lease);
            }
        }
    }

    /// <summary>Another node holds the lock: poll for its result. Null when the holder is too slow; the caller then produces it itself.</summary>
    private static async Task<T?> WaitForHolderAsync<T>(Func<Task<T?>> producedMeanwhile, TimeSpan wait)
        where T : class
    {
        // Real elapsed time, not the injectable clock: this bounds an actual wait.
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < wait)
        {
            await Task.Delay(PollInterval);
            if (await producedMeanwhile() is { } theirs)
            {
                return theirs;
            }
        }

        return null;
    }
}
