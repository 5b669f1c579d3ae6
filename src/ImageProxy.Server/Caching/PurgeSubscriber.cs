using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Subscribes this node to other nodes' purges before the host reports started (a BackgroundService would
/// subscribe some time after the node already serves, and a purge published in that gap was lost here).
/// Bounded: a Redis that is down or unreachable at start-up must not hold the proxy up; the multiplexer keeps
/// the subscription and makes it when it connects.
/// </summary>
public sealed class PurgeSubscriber(TieredCache cache, ILogger<PurgeSubscriber> logger) : IHostedService
{
    /// <summary>Longer than a connect attempt (connectTimeout 2 s) plus one subscribe call.</summary>
    internal static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(3);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await cache.SubscribeToPurgesAsync().WaitAsync(StartupWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.RedisCircuitOpened(logger, "subscribe", "not subscribed within start-up; subscribing once Redis answers");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
