namespace ImageProxy.Server.Caching;

/// <summary>Subscribes this node to other nodes' purges for as long as the host runs.</summary>
public sealed class PurgeSubscriber(TieredCache cache) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => cache.SubscribeToPurgesAsync();
}
