using System.Net.Sockets;

namespace ImageProxy.Server.Tests.Security;

/// <summary>The listener's own count, which the SVG tests rest on when they conclude "never fetched".</summary>
public sealed class FaultyOriginTests
{
    [Test]
    public async Task A_connection_made_before_draining_is_counted_and_the_drain_itself_is_not()
    {
        await using var origin = new FaultyOrigin(TestImages.Png(4, 4));
        await origin.DrainAsync();
        Assert.That(origin.Connections, Is.Zero);

        // A client that connects and sends nothing, like a fetch cut short: still seen.
        using var silent = new TcpClient();
        await silent.ConnectAsync("127.0.0.1", origin.Port);
        await origin.DrainAsync();

        Assert.That(origin.Connections, Is.EqualTo(1));
    }
}
