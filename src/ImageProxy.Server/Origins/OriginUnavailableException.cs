namespace ImageProxy.Server.Origins;

/// <summary>The origin failed (connection error, unexpected status, access denied). Public answer: 502; the detail is only logged.</summary>
/// <param name="transient">True when trying again may help (5xx, 429, resets); only these are retried and count towards the circuit breaker.
/// Access denied, a refused address or a misconfiguration are not: retrying them only adds load and latency.</param>
public sealed class OriginUnavailableException(string detail, Exception? inner = null, bool transient = true) : Exception(detail, inner)
{
    public bool Transient { get; } = transient;
}
