using System.Diagnostics;
using System.Net;

namespace ImageProxy.Server.Tests.Cli;

/// <summary>
/// `purge` and `health` against the built server as a real process (admin token from its environment), and the
/// `imageproxy` apphost in the build output.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class RunningServerCommandTests
{
    private const string AdminToken = "cli-admin-token-5c1e";
    private TempDirectory _dir = null!;
    private ServerProcess _server = null!;

    private string BaseUrl => $"http://127.0.0.1:{_server.Port}";

    [OneTimeSetUp]
    public async Task Start()
    {
        _dir = new TempDirectory();
        var images = Directory.CreateDirectory(Path.Combine(_dir.Path, "images")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(images, "pic.png"), TestImages.Png(80, 40));
        var sources = Path.Combine(_dir.Path, "sources.json");
        await File.WriteAllTextAsync(sources, $$$"""{"sources":[{"name":"s","pathPrefix":"/s","kind":"folder","folder":{"root":"{{{images}}}"}}]}""");
        _server = await ServerProcess.StartAsync(
            new Dictionary<string, string> { ["ImageProxy__AdminToken"] = AdminToken },
            "--sources", sources, "--cache-dir", Path.Combine(_dir.Path, "cache"));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private async Task<string?> CacheStatusAsync(string url)
    {
        using var response = await _server.Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response.Headers.TryGetValues("X-Cache", out var values) ? values.First() : null;
    }

    [Test]
    public async Task Purge_with_the_token_from_the_environment_drops_the_cached_variant()
    {
        const string url = "/s/pic.png?w=20";
        await CacheStatusAsync(url);
        Assert.That(await CacheStatusAsync(url), Does.StartWith("HIT"), "cached before the purge");

        var run = await TestCli.RunAsync(new Dictionary<string, string?> { ["IMAGEPROXY_ADMIN_TOKEN"] = AdminToken }, "purge", "--base", BaseUrl, "/s/pic.png");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        Assert.That(run.Out, Does.Contain("\"purged\":[\"/s/pic.png\"]"));
        Assert.That(run.Out + run.Err, Does.Not.Contain(AdminToken));
        Assert.That(await CacheStatusAsync(url), Is.EqualTo("MISS"), "rendered again after the purge");
    }

    [Test]
    public async Task Purge_reads_the_servers_own_variable_and_a_named_one()
    {
        var serversOwn = await TestCli.RunAsync(new Dictionary<string, string?> { ["ImageProxy__AdminToken"] = AdminToken }, "purge", "--base", BaseUrl, "/s/pic.png");
        var named = await TestCli.RunAsync(new Dictionary<string, string?> { ["MY_TOKEN"] = AdminToken }, "purge", "--base", BaseUrl, "--token-env", "MY_TOKEN", "/s/pic.png");

        Assert.That(serversOwn.ExitCode, Is.Zero, serversOwn.Err);
        Assert.That(named.ExitCode, Is.Zero, named.Err);
    }

    [Test]
    public async Task Purge_with_a_wrong_token_fails_with_the_servers_answer()
    {
        var run = await TestCli.RunAsync(new Dictionary<string, string?> { ["IMAGEPROXY_ADMIN_TOKEN"] = "wrong" }, "purge", "--base", BaseUrl, "/s/pic.png");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Err, Does.Contain("401"));
    }

    [Test]
    public async Task Purge_of_a_path_no_source_serves_fails_naming_it()
    {
        var run = await TestCli.RunAsync(new Dictionary<string, string?> { ["IMAGEPROXY_ADMIN_TOKEN"] = AdminToken }, "purge", "--base", BaseUrl, "/nowhere/x.png");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Err, Does.Contain("/nowhere/x.png"));
    }

    [Test]
    public async Task Purge_without_a_token_in_the_environment_is_a_usage_error()
    {
        var run = await TestCli.RunAsync("purge", "--base", BaseUrl, "/s/pic.png");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Err, Does.Contain("IMAGEPROXY_ADMIN_TOKEN"));
    }

    [Test]
    public async Task Health_is_0_for_a_live_and_ready_server_and_1_when_nothing_answers()
    {
        var live = await TestCli.RunAsync("health", "--base", BaseUrl);
        var ready = await TestCli.RunAsync("health", "--base", BaseUrl, "--ready");
        var fromEnvironment = await TestCli.RunAsync(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{_server.Port}" }, "health");
        var nobody = await TestCli.RunAsync("health", "--base", $"http://127.0.0.1:{ClosedPort()}", "--timeout", "2");

        Assert.Multiple(() =>
        {
            Assert.That(live.ExitCode, Is.Zero, live.Err);
            Assert.That(live.Out, Does.Contain("/_imageproxy/health/live: 200"));
            Assert.That(ready.ExitCode, Is.Zero, ready.Err);
            Assert.That(ready.Out, Does.Contain("/_imageproxy/health/ready: 200"));
            Assert.That(fromEnvironment.ExitCode, Is.Zero, "the wildcard listen address becomes loopback");
            Assert.That(nobody.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Health_is_1_when_the_server_does_not_answer_in_time()
    {
        // A listener that accepts and never answers: the quick timeout decides.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var started = Stopwatch.StartNew();

        var run = await TestCli.RunAsync("health", "--base", $"http://127.0.0.1:{port}", "--timeout", "0.5");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Err, Does.Contain("no answer in time"));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task The_imageproxy_apphost_is_in_the_build_output_and_runs_the_health_check()
    {
        // The test output holds the server's build output; publish adds the same file (see the csproj target).
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "imageproxy.exe" : "imageproxy");
        Assert.That(File.Exists(apphost), Is.True, apphost);

        Assert.That(await RunAsync(apphost, "health", "--base", BaseUrl), Is.Zero);
        Assert.That(await RunAsync(apphost, "health", "--base", $"http://127.0.0.1:{ClosedPort()}"), Is.EqualTo(1));
        Assert.That(await RunAsync(apphost, "--play-ground"), Is.EqualTo(2), "an unknown option stops the real program too");
    }

    private static async Task<int> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not exit: {await output}{await error}");
        }

        return process.ExitCode;
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
