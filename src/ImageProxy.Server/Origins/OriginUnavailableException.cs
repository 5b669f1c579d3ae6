namespace ImageProxy.Server.Origins;

/// <summary>The origin failed (connection error, unexpected status). Public answer: 502; the detail is only logged.</summary>
public sealed class OriginUnavailableException(string detail, Exception? inner = null) : Exception(detail, inner);
