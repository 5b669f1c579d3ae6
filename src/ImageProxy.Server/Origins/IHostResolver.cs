using System.Net;

namespace ImageProxy.Server.Origins;

/// <summary>DNS as a seam, so tests can play a resolver whose answer changes between calls (rebinding).</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
