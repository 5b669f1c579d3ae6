using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Tests;

/// <summary>
/// A tier in front of another that, once armed, holds the next read of one address after it has been answered:
/// a request stopped between reading the cache and acting on what it read, as a descheduled thread or a slow
/// network stops it, so a test can let other work finish in that gap.
/// </summary>
internal sealed class PausingCache(IResultCache inner, string address) : IResultCache
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    /// <summary>Completes when the held read has been answered by the inner tier.</summary>
    public Task Paused => _paused.Task;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public void Release() => _released.TrySetResult();

    public async Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        var entry = await inner.GetAsync(sourceObject, key, cancellationToken);
        if (key == address && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _paused.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return entry;
    }

    public async ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        await GetAsync(sourceObject, key, cancellationToken) is { } entry ? (entry, CacheTier.Redis) : (null, CacheTier.None);

    public Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken) =>
        inner.SetAsync(sourceObject, entry, cancellationToken);

    public Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken) =>
        inner.PurgeAsync(sourceObject, cancellationToken);
}
