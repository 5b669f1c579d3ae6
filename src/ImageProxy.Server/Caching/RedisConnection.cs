using ImageProxy.Server.Diagnostics;
using StackExchange.Redis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// The one StackExchange.Redis multiplexer of the process, wrapped so that every call has a short
/// timeout and goes through a circuit breaker, and a failure becomes the caller's fallback value
/// instead of an exception. Connecting happens in the background: a Redis that is down at start-up
/// must not delay or stop the proxy.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly Task<ConnectionMultiplexer?> _connecting;

    public RedisConnection(string endpoint, string keyPrefix, ResultCacheOptions options, TimeProvider clock, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        _timeout = TimeSpan.FromMilliseconds(options.RedisTimeoutMilliseconds);
        KeyPrefix = keyPrefix;
        Breaker = new CircuitBreaker(options.RedisBreakerFailures, TimeSpan.FromSeconds(options.RedisBreakerSeconds), clock);
        _connecting = ConnectAsync(ToConfiguration(endpoint, options.RedisTimeoutMilliseconds));
    }

    public string KeyPrefix { get; }

    public CircuitBreaker Breaker { get; }

    /// <summary>True while calls to Redis are being skipped; the one hook metrics read (imageproxy_redis_breaker_open).</summary>
    public bool CircuitOpen => Breaker.IsOpen;

    /// <summary>"host:port" gets our defaults; a full configuration string (with ',') is used as given, plus abortConnect=false.</summary>
    public static string ToConfiguration(string endpoint, int timeoutMilliseconds)
    {
        var syncTimeout = Math.Max(100, timeoutMilliseconds);
        return endpoint.Contains(',')
            ? $"{endpoint},abortConnect=false"
            : $"{endpoint},abortConnect=false,connectTimeout=2000,syncTimeout={syncTimeout},connectRetry=1,keepAlive=5";
    }

    /// <summary>Runs <paramref name="operation"/> unless the circuit is open; returns <paramref name="fallback"/> on any Redis failure or timeout.</summary>
    public async Task<T> RunAsync<T>(string what, Func<IDatabase, Task<T>> operation, T fallback)
    {
        if (!_connecting.IsCompleted || _connecting.Result is not { } multiplexer || !Breaker.TryEnter())
        {
            return fallback;
        }

        try
        {
            var result = await operation(multiplexer.GetDatabase()).WaitAsync(_timeout);
            Breaker.RecordSuccess();
            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            if (Breaker.RecordFailure())
            {
                Log.RedisCircuitOpened(_logger, what, ex.Message);
            }

            return fallback;
        }
    }

    /// <summary>Subscribes once connected; the subscription survives reconnects (the multiplexer restores it).</summary>
    public async Task SubscribeAsync(string channel, Action<byte[]> handler)
    {
        if (await _connecting is not { } multiplexer)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(KeyPrefix + channel, (_, message) => handler((byte[])message!));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.RedisCircuitOpened(_logger, "subscribe", ex.Message);
        }
    }

    public Task<long> PublishAsync(string channel, byte[] message) =>
        RunAsync("publish", async _ => await _connecting.Result!.GetSubscriber().PublishAsync(KeyPrefix + channel, message), 0L);

    /// <summary>Completes when the first connection attempt has finished (tests and the warm command wait on it).</summary>
    public async Task<bool> WaitConnectedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var multiplexer = await _connecting.WaitAsync(timeout);
        while (multiplexer is not null && !multiplexer.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return multiplexer?.IsConnected == true;
    }

    public void Dispose()
    {
        if (_connecting.IsCompletedSuccessfully)
        {
            _connecting.Result?.Dispose();
        }
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(string configuration)
    {
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
            if (!multiplexer.IsConnected)
            {
                Log.RedisCircuitOpened(_logger, "connect", "not reachable yet; retrying in the background");
            }

            return multiplexer;
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException)
        {
            Log.RedisCircuitOpened(_logger, "connect", ex.Message);
            return null;
        }
    }
}
