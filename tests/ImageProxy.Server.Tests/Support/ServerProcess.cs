using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The built server (ImageProxy.Server.dll next to the test assembly) as a real child process on a free loopback
/// port: what a second node or a crash needs, which an in-process host cannot give. Stopped by its own process id.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The admin token every test server process gets.</summary>
    public const string AdminToken = "server-process-admin";

    public int Port { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<ServerProcess> StartAsync(params string[] arguments) => StartAsync(new Dictionary<string, string>(), arguments);

    /// <param name="environment">Extra environment variables, e.g. ImageProxy__AdminToken (secrets never go on the command line).</param>
    public static Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartAsync(FreePort(), environment, arguments);

    /// <summary>On a port chosen beforehand (<see cref="FreePort"/>): cluster nodes must know each other's URLs before they start.</summary>
    public static Task<ServerProcess> StartAsync(int port, params string[] arguments) =>
        StartAsync(port, new Dictionary<string, string>(), arguments);

    public static async Task<ServerProcess> StartAsync(int port, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ImageProxy.Server.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Through the environment, not argv: /_imageproxy/stats (RendersAsync) and purge need it.
        info.Environment["ImageProxy__AdminToken"] = AdminToken;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>kill -9: no shutdown hooks, no flushing, whatever was half done stays half done.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public bool HasExited => _process.HasExited;

    public async Task<long> RendersAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_imageproxy/stats");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("renders").GetInt64();
    }

    public void Dispose()
    {
        Client.Dispose();
        KillHard();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private Task WaitReadyAsync() =>
        Eventually.That(async () =>
        {
            if (_process.HasExited)
            {
                // An exception, not Assert.Fail: tests that expect a refusal to start catch it.
                throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/_imageproxy/health/live");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, "the server becomes live", TimeSpan.FromSeconds(60), () => Output);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
