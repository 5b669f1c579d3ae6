using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Wraps a source's origin in retries (jittered exponential backoff) and a circuit breaker, one
/// pipeline per source so one dead bucket cannot trip another source. Only transient failures are
/// retried: a 404 or 304 is an answer, 403 and refused addresses will not change on a retry, and a
/// timeout has already used the source's whole budget. When the breaker is open the source fails fast
/// (502) instead of tying up requests on an origin that is down.
/// </summary>
public sealed class ResilientOrigin : IOrigin, IDisposable
{
    private readonly string _sourceName;
    private readonly IOrigin _inner;
    private readonly ResiliencePipeline _pipeline;

    public ResilientOrigin(string sourceName, IOrigin inner, OriginResilienceOptions? options = null, TimeProvider? time = null)
    {
        _sourceName = sourceName;
        _inner = inner;
        options ??= OriginResilienceOptions.Default;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<OriginUnavailableException>(e => e.Transient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
            });
        }

        // Inside the retry, so every attempt counts towards the failure ratio; timeouts count too (a hanging
        // origin is the case the breaker exists for), but 404s and access denials do not.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OriginUnavailableException>(e => e.Transient).Handle<OriginTimeoutException>(),
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
        });
        _pipeline = builder.Build();
    }

    public IOrigin Inner => _inner;

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Inner.FetchAsync(state.Key, state.Validators, token),
                (Inner: _inner, Key: objectKey, Validators: validators),
                cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': origin failing repeatedly; circuit open, failing fast.", ex, transient: false);
        }
    }

    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
