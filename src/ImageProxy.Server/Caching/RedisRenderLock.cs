using StackExchange.Redis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// One node renders a variant while the others wait for its result in Redis: SET NX PX with a random
/// fencing value, released by a compare-and-delete script so a node whose lock already expired (it was
/// slow) can never delete the lock a newer holder took.
/// </summary>
public sealed class RedisRenderLock(RedisConnection redis)
{
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /// <summary>The lease, or null when another node holds the lock. When Redis is unavailable the caller gets a local-only lease.</summary>
    public async Task<RenderLease?> TryAcquireAsync(string key, TimeSpan lifetime)
    {
        var lease = new RenderLease($"{redis.KeyPrefix}lock:{key}", Guid.NewGuid().ToString("N"));
        // Redis down: render locally (fallback true); the cost is a duplicate render, never a failed request.
        var acquired = await redis.RunAsync(
            "lock", db => db.StringSetAsync(lease.LockKey, lease.FencingToken, lifetime, When.NotExists), true);
        return acquired ? lease : null;
    }

    public Task ReleaseAsync(RenderLease lease) =>
        redis.RunAsync("unlock", async db =>
        {
            await db.ScriptEvaluateAsync(ReleaseScript, [lease.LockKey], [lease.FencingToken]);
            return true;
        }, false);
}
