using ImageProxy.Server.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// The one StackExchange.Redis multiplexer of the process (result tier, render lock and purge pub/sub share it),
/// wrapped so that every call has a short timeout and goes through a Polly circuit breaker, and a failure becomes
/// the caller's fallback value instead of an exception. Connecting happens in the background: a Redis that is
/// down at start-up must not delay or stop the proxy; the multiplexer reconnects by itself afterwards.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private static readonly ResiliencePropertyKey<string> OperationKey = new("imageproxy.redis.operation");
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline _breaker;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly Task<ConnectionMultiplexer?> _connecting;

    public RedisConnection(
        string configuration, string keyPrefix, ResultCacheOptions options, TimeProvider clock, ILogger<RedisConnection> logger,
        string? trustedCaFile = null)
    {
        _logger = logger;
        _timeout = TimeSpan.FromMilliseconds(options.RedisTimeoutMilliseconds);
        KeyPrefix = keyPrefix;
        _breaker = BuildBreaker(options, clock);
        _connecting = ConnectAsync(configuration, options.RedisTimeoutMilliseconds, trustedCaFile);
    }

    public string KeyPrefix { get; }

    /// <summary>True while calls to Redis are being skipped; the one hook metrics read (imageproxy_redis_breaker_open).</summary>
    public bool CircuitOpen => _breakerState.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>
    /// A StackExchange.Redis configuration string ("host:port", or e.g. "redis:6380,user=proxy,password=…,ssl=true")
    /// over our defaults: what the string names wins. abortConnect is always false, because the proxy must start
    /// and serve without Redis.
    /// </summary>
    public static ConfigurationOptions ToConfiguration(string configuration, int timeoutMilliseconds, string? trustedCaFile = null)
    {
        var syncTimeout = Math.Max(100, timeoutMilliseconds);
        // Parse applies the pairs in order, so the operator's string, placed after the defaults, overrides them.
        var options = ConfigurationOptions.Parse(
            $"connectTimeout=2000,syncTimeout={syncTimeout},asyncTimeout={syncTimeout},connectRetry=1,keepAlive=5,{configuration}");
        options.AbortOnConnectFail = false;
        if (trustedCaFile is not null)
        {
            // A configuration string cannot name a CA file; a private CA comes from its own option.
            options.TrustIssuer(trustedCaFile);
        }

        return options;
    }

    /// <summary>Runs <paramref name="operation"/> unless the circuit is open; returns <paramref name="fallback"/> on any Redis failure or timeout.</summary>
    public async Task<T> RunAsync<T>(string what, Func<IDatabase, Task<T>> operation, T fallback)
    {
        if (!_connecting.IsCompleted || _connecting.Result is not { } multiplexer)
        {
            return fallback;
        }

        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OperationKey, what);
        try
        {
            // StackExchange.Redis calls take no token: WaitAsync bounds how long this request waits for one.
            return await _breaker.ExecuteAsync(
                static async (_, state) => await state.operation(state.multiplexer.GetDatabase()).WaitAsync(state.timeout),
                context, (operation, multiplexer, timeout: _timeout));
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is BrokenCircuitException)
        {
            return fallback;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Subscribes once connected; the subscription survives reconnects (the multiplexer restores it).
    /// Completes when the subscription is in place, or at once when Redis is unreachable (the multiplexer
    /// then subscribes when it connects).
    /// </summary>
    public async Task SubscribeAsync(string channel, Action<byte[]> handler)
    {
        if (await _connecting is not { } multiplexer)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(KeyPrefix + channel), (_, message) => handler((byte[])message!));
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Log.RedisCircuitOpened(_logger, "subscribe", ex.Message);
        }
    }

    public Task<long> PublishAsync(string channel, byte[] message) =>
        RunAsync("publish", async _ => await _connecting.Result!.GetSubscriber().PublishAsync(RedisChannel.Literal(KeyPrefix + channel), message), 0L);

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

    private static bool IsRedisFailure(Exception ex) =>
        ex is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException;

    /// <summary>
    /// Opens when at least RedisBreakerFailures calls in the last sampling window ran and half of them failed; then
    /// callers skip Redis for RedisBreakerSeconds, after which one trial call decides. Without it, a dead or
    /// stalled Redis would add its timeout to every request.
    /// </summary>
    private ResiliencePipeline BuildBreaker(ResultCacheOptions options, TimeProvider clock) =>
        new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsRedisFailure),
                FailureRatio = 0.5,
                MinimumThroughput = Math.Max(2, options.RedisBreakerFailures),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(1, options.RedisBreakerSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(1, options.RedisBreakerSeconds)),
                StateProvider = _breakerState,
                OnOpened = args =>
                {
                    var what = args.Context.Properties.GetValue(OperationKey, "call");
                    Log.RedisCircuitOpened(_logger, what, args.Outcome.Exception?.Message ?? "failed");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private async Task<ConnectionMultiplexer?> ConnectAsync(string configuration, int timeoutMilliseconds, string? trustedCaFile)
    {
        try
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(ToConfiguration(configuration, timeoutMilliseconds, trustedCaFile));
            if (!multiplexer.IsConnected)
            {
                Log.RedisCircuitOpened(_logger, "connect", "not reachable yet; retrying in the background");
            }

            return multiplexer;
        }
        catch (Exception ex) when (ex is RedisException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            Log.RedisCircuitOpened(_logger, "connect", ex.Message);
            return null;
        }
    }
}
