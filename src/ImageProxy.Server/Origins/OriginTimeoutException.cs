namespace ImageProxy.Server.Origins;

/// <summary>The origin did not answer within the source's timeout. Public answer: 504.</summary>
public sealed class OriginTimeoutException(string detail, Exception? inner = null) : Exception(detail, inner);
