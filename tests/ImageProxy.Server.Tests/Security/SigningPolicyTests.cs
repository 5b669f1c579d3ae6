using System.Diagnostics;
using System.Net;

namespace ImageProxy.Server.Tests.Security;

/// <summary>The sign CLI, the RequireSignedUrls switch, and that neither tokens nor signed URLs reach the log.</summary>
[Category("EndToEnd")]
public sealed class SigningPolicyTests : HostileProxyFixture
{
    private (int Code, string Out, string Err) Sign(params string[] args)
    {
        var env = new Dictionary<string, string?> { ["SIGN_TOKEN"] = HostileProxy.Token };
        // sign runs synchronously; the result is there when RunAsync returns.
        var run = TestCli.RunAsync(env, ["sign", .. args]).GetAwaiter().GetResult();
        return (run.ExitCode, run.Out.Trim(), run.Err);
    }

    [Test]
    public async Task A_url_signed_by_the_cli_from_the_sources_file_is_served()
    {
        var (code, url, _) = Sign("--sources", App.SourcesPath, "--source", "signed", "pic.png", "w=20", "fm=png");
        Assert.That(code, Is.Zero);
        Assert.That(url, Does.StartWith("/signed/pic.png?w=20&fm=png&s="));
        Assert.That(url, Does.Not.Contain(HostileProxy.Token));

        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Expires_in_adds_a_future_expiry_that_caps_max_age()
    {
        var (code, url, _) = Sign("--token-env", "SIGN_TOKEN", "--expires-in", "120", "/signed/pic.png", "w=8");
        Assert.That(code, Is.Zero);
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.MaxAge?.TotalSeconds, Is.InRange(100, 120));
    }

    [Test]
    public async Task A_path_needing_encoding_is_encoded_after_the_source_prefix()
    {
        var (code, url, _) = Sign("--sources", App.SourcesPath, "--source", "signed", "/signed/a b+c.png", "w=5");
        Assert.That(code, Is.Zero);
        Assert.That(url, Does.StartWith("/signed/a%20b%2Bc.png?w=5&s="));
        Assert.That(Transform.Signature.VerifyTarget([HostileProxy.Token], url), Is.True);

        // Through the server (the test host rebuilds the raw target from the decoded path, which keeps %20 but
        // not %2B, so the round trip uses a space only).
        File.WriteAllBytes(Path.Combine(App.Images, "a b.png"), TestImages.Png(10, 10));
        var (_, served, _) = Sign("--sources", App.SourcesPath, "--source", "signed", "a b.png", "w=5");
        using var response = await Client.GetAsync(served);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void The_token_is_never_taken_from_the_command_line()
    {
        var (code, url, error) = Sign("--token", "secret", "/signed/pic.png");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(url, Is.Empty);
        Assert.That(error, Does.Contain("--token-env"));
    }

    [TestCase("--token-env", "UNSET_VARIABLE")]
    [TestCase("--source", "img")]
    [TestCase("--source", "no-such-source")]
    public void Unusable_token_sources_are_refused(string option, string value)
    {
        var (code, url, _) = Sign("--sources", App.SourcesPath, option, value, "/signed/pic.png");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(url, Is.Empty);
    }

    [Test]
    public async Task Neither_the_token_nor_a_signature_is_ever_logged()
    {
        var (_, url, _) = Sign("--token-env", "SIGN_TOKEN", "/signed/pic.png", "w=12");
        var signature = url[(url.LastIndexOf("s=", StringComparison.Ordinal) + 2)..];
        using (await Client.GetAsync(url)) { }
        using (await Client.GetAsync(url.Replace("w=12", "w=13"))) { } // refused: logged as a warning
        using (await Client.GetAsync("/signed/missing.png?s=" + signature)) { }

        Assert.That(App.Logs.Lines, Is.Not.Empty, "the capture works");
        Assert.That(App.Logs.Lines, Has.None.Contains(HostileProxy.Token));
        Assert.That(App.Logs.Lines, Has.None.Contains(signature));
    }

    [Test]
    public async Task Require_signed_urls_refuses_to_start_with_an_unsigned_source()
    {
        var (exitCode, stderr) = await RunServer(App.SourcesPath, "--ImageProxy:Security:RequireSignedUrls=true");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("RequireSignedUrls").And.Contain("img").And.Not.Contain(HostileProxy.Token));
    }

    private static async Task<(int ExitCode, string StdErr)> RunServer(string sources, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ImageProxy.Server.dll"));
        start.ArgumentList.Add("--sources");
        start.ArgumentList.Add(sources);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server started although a source is unsigned");
        }

        return (process.ExitCode, await stderr);
    }

    [Test]
    public async Task Require_signed_urls_starts_when_every_source_is_signed()
    {
        var sources = Path.Combine(App.Directory, "all-signed.json");
        File.WriteAllText(sources, $$"""{"sources":[{"name":"only","pathPrefix":"/only","kind":"folder","folder":{"root":"./images"},"secureTokens":["t0k3n"]}]}""");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ImageProxy.Server.dll"));
        foreach (var a in new[] { "--sources", sources, "--ImageProxy:Security:RequireSignedUrls=true" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        var stdout = new System.Text.StringBuilder();
        var started = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Now listening", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var finished = await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        var running = !process.HasExited;
        if (running)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.That(finished, Is.SameAs(started.Task), $"the server should start; output: {stdout}");
        Assert.That(running, Is.True);
    }
}
