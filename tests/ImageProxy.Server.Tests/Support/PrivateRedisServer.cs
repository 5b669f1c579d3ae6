using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageProxy.Server.Tests;

/// <summary>
/// A redis-server of the test's own, on a free loopback port, for tests that kill Redis mid-run (the shared
/// one must stay up for everybody else). Killed by its own process id.
/// </summary>
internal sealed class PrivateRedisServer : IDisposable
{
    private readonly string _extraArguments;
    private Process? _process;

    private PrivateRedisServer(int port, string extraArguments)
    {
        Port = port;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <param name="extraArguments">
    /// More redis-server options, e.g. ACL users ("--user name on >password ~* &amp;* +@all"); "{port}" stands for the
    /// server's port (for "--tls-port {port} --port 0").
    /// </param>
    public static PrivateRedisServer Start(string extraArguments = "")
    {
        // Same rule as the shared server: the binary is part of the test environment test.sh installs.
        TestRedis.RequireEndpoint();
        var server = new PrivateRedisServer(FreePort(), extraArguments);
        server.Restart();
        return server;
    }

    public void Restart()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server",
            $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no {_extraArguments.Replace("{port}", Port.ToString())}")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start redis-server");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start listening");
    }

    /// <summary>kill -9: no goodbye to connected clients.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
