namespace ImageProxy.Server.Origins;

/// <summary>A host resolved only to addresses the source may not reach (private, loopback, metadata...). Never retried.</summary>
public sealed class OriginAddressRefusedException(string host) : Exception($"Host '{host}' resolves only to addresses this source may not reach.")
{
    public string Host { get; } = host;
}
