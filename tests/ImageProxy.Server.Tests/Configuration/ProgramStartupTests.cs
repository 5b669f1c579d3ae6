using System.Diagnostics;

namespace ImageProxy.Server.Tests.Configuration;

/// <summary>The real executable refuses to start on a broken sources file: non-zero exit, a message naming source and key, no stack trace.</summary>
[NonParallelizable]
public sealed class ProgramStartupTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("imageproxy-startup-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private Task<(int ExitCode, string StdErr, string StdOut)> RunServer(params string[] arguments) =>
        RunServer(new Dictionary<string, string>(), arguments);

    private async Task<(int ExitCode, string StdErr, string StdOut)> RunServer(Dictionary<string, string> environment, params string[] arguments)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "ImageProxy.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _directory };
        start.ArgumentList.Add(server);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server started instead of refusing its configuration");
        }

        return (process.ExitCode, await stderr, await stdout);
    }

    [Test]
    public async Task A_broken_sources_file_stops_start_up_with_a_readable_message()
    {
        var sources = Path.Combine(_directory, "broken.json");
        File.WriteAllText(sources, """{"sources":[{"name":"cloud","pathPrefix":"/c","kind":"ftp"}]}""");

        var (exitCode, stderr, stdout) = await RunServer("--sources", sources);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(stderr, Does.Contain("source 'cloud'").And.Contain("'kind'"));
            Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task An_invalid_caching_setting_stops_start_up_naming_its_key()
    {
        var (exitCode, stderr, stdout) = await RunServer(
            new Dictionary<string, string> { ["ImageProxy__ResultCache__StaleIfErrorSeconds"] = "-1" });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(stderr, Does.Contain("ImageProxy:ResultCache:StaleIfErrorSeconds"));
            Assert.That(stderr + stdout, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task A_missing_environment_variable_stops_start_up_naming_it()
    {
        var sources = Path.Combine(_directory, "sources.json");
        File.WriteAllText(sources, """
            {"sources":[{"name":"cdn","pathPrefix":"/cdn","kind":"web","web":{"baseUrl":"https://x.example"},"secureTokens":["${IMAGEPROXY_TEST_UNSET_TOKEN}"]}]}
            """);

        var (exitCode, stderr, _) = await RunServer("--sources", sources);

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("IMAGEPROXY_TEST_UNSET_TOKEN").And.Contain("source 'cdn'"));
    }

    [Test]
    public async Task A_sources_file_that_does_not_exist_stops_start_up()
    {
        var (exitCode, stderr, _) = await RunServer("--sources", Path.Combine(_directory, "nope.json"));

        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(stderr, Does.Contain("nope.json"));
    }
}
