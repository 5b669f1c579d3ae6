using System.Net;
using System.Net.Sockets;

namespace ImageProxy.Server.Origins;

/// <summary>
/// A SocketsHttpHandler ConnectCallback that resolves the host ONCE, drops every address the policy
/// refuses, and connects to one of the remaining addresses itself. Checking a name and then letting the
/// handler resolve it again would leave a gap for DNS rebinding (public answer for the check, 127.0.0.1
/// for the connect); here the address that was checked is the address that is dialled. Because every
/// connection (every redirect hop, every new pooled connection) goes through this callback, each hop is
/// re-checked without any extra code in the redirect loop.
/// </summary>
public sealed class GuardedConnector(IHostResolver resolver, Func<IPAddress, bool> isAllowed)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var candidates = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);

        var allowed = candidates.Where(isAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new OriginAddressRefusedException(host);
        }

        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
