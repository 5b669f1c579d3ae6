using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// A deliberately broken HTTP/1.1 server on 127.0.0.1, written on raw sockets so it can do what a well-behaved
/// server library refuses to: reset mid-body, lie in Content-Length, stall, send forever. The behaviour is picked
/// by the request path. Every stalled connection is closed when the server is disposed.
/// </summary>
public sealed class FaultyOrigin : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly Task _accepting;
    private readonly byte[] _image;
    private int _accepted;
    private int _barriers;

    public FaultyOrigin(byte[] image)
    {
        _image = image;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far (any path), not counting <see cref="DrainAsync"/>'s own.</summary>
    public int Connections => Volatile.Read(ref _accepted) - Volatile.Read(ref _barriers);

    /// <summary>
    /// Returns once every connection opened before this call has been accepted: connections are accepted in the
    /// order they were made, so when a new one of our own is answered, any earlier one is already counted. This
    /// replaces "sleep a little, then conclude nothing came".
    /// </summary>
    public async Task DrainAsync()
    {
        Interlocked.Increment(ref _barriers);
        using var client = new HttpClient();
        using var response = await client.GetAsync($"{BaseUrl}/barrier");
    }

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var token = _stop.Token;
        try
        {
            var path = await ReadRequestPathAsync(socket, token);
            var hit = _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            switch (path)
            {
                case "/ok.png":
                    await SendAsync(socket, Head(200, _image.Length), _image, token);
                    break;
                case "/flaky.png" when hit <= 3:
                case "/500.png":
                    await SendAsync(socket, Head(500, 0), [], token);
                    break;
                case "/flaky.png":
                    await SendAsync(socket, Head(200, _image.Length), _image, token);
                    break;
                case "/503.png":
                    await SendAsync(socket, Head(503, 0, "Retry-After: 120\r\n"), [], token);
                    break;
                case "/reset.png":
                    await SendAsync(socket, Head(200, 100_000), _image[..Math.Min(_image.Length, 200)], token);
                    socket.LingerState = new LingerOption(true, 0); // close with RST, not FIN
                    socket.Close();
                    break;
                case "/wrong-length.png":
                    // Claims more than it sends, then closes cleanly: a short body, not a complete image.
                    await SendAsync(socket, Head(200, _image.Length + 5000), _image, token);
                    socket.Shutdown(SocketShutdown.Both);
                    break;
                case "/stall.png":
                    // ~1 MB at once (10 MB/s for a tenth of a second), then nothing until the server stops.
                    await SendAsync(socket, Head(200, 2_000_000), new byte[1_000_000], token);
                    await Task.Delay(Timeout.Infinite, token);
                    break;
                case "/silent.png":
                    await Task.Delay(Timeout.Infinite, token); // never answers at all
                    break;
                case "/endless.png":
                    await SendAsync(socket, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"), [], token);
                    var chunk = Encoding.ASCII.GetBytes($"10000\r\n{new string('A', 0x10000)}\r\n");
                    while (!token.IsCancellationRequested)
                    {
                        await socket.SendAsync(chunk, token);
                    }

                    break;
                case "/loop.png":
                    await SendAsync(socket, Head(302, 0, "Location: /loop.png\r\n"), [], token);
                    break;
                default:
                    await SendAsync(socket, Head(404, 0), [], token);
                    break;
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
            // The proxy gave up on us (that is the point of most of these cases).
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static byte[] Head(int status, long contentLength, string extra = "")
        => Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: image/png\r\nContent-Length: {contentLength}\r\n{extra}Connection: close\r\n\r\n");

    private static async Task SendAsync(Socket socket, byte[] head, byte[] body, CancellationToken token)
    {
        await socket.SendAsync(head, token);
        if (body.Length > 0)
        {
            await socket.SendAsync(body, token);
        }
    }

    private static async Task<string> ReadRequestPathAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var firstLine = text.ToString().Split("\r\n")[0].Split(' ');
        return firstLine.Length > 1 ? firstLine[1] : "/";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
