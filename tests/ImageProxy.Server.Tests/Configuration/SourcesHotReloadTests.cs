using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ImageProxy.Server.Tests.Origins.Contract;

namespace ImageProxy.Server.Tests.Configuration;

/// <summary>
/// Editing sources.json under a running server (the real SourcesWatcher, real file-system events): new
/// sources and changed tokens take effect without a restart, a request in flight finishes on the
/// configuration it started with, and a broken edit is logged and leaves the last good configuration serving.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class SourcesHotReloadTests
{
    /// <summary>Far above the watcher's 300 ms debounce; a reload that needs longer is a failure.</summary>
    private static readonly TimeSpan ReloadBudget = TimeSpan.FromSeconds(10);

    private ProxyApplication _app = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private CapturingLoggerProvider _logs = null!;

    private void Start(string? extraSources = null, Func<ProxyApplication, string>? sourcesFile = null)
    {
        _logs = new CapturingLoggerProvider();
        _app = new ProxyApplication(extraSources);
        var path = sourcesFile?.Invoke(_app);
        _factory = _app.WithWebHostBuilder(b =>
        {
            b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs)));
            if (path is not null)
            {
                b.UseSetting("ImageProxy:SourcesFile", path);
            }
        });
        _client = _factory.CreateClient();
    }

    [TearDown]
    public void Stop()
    {
        _client?.Dispose();
        _factory?.Dispose();
        _app?.Dispose();
    }

    private string Sources => File.ReadAllText(_app.SourcesPath);

    /// <summary>Writes the file in place (truncate + write), as `echo > file` or most IDEs do.</summary>
    private void EditInPlace(string text) => File.WriteAllText(_app.SourcesPath, text);

    /// <summary>Writes a sibling file and renames it over the original, as vim and atomic-save editors do.</summary>
    private void EditByRename(string text)
    {
        var temp = _app.SourcesPath + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, _app.SourcesPath, overwrite: true);
    }

    private async Task<HttpStatusCode> StatusOf(string url)
    {
        using var response = await _client.GetAsync(url);
        return response.StatusCode;
    }

    private async Task WaitFor(string url, HttpStatusCode expected)
    {
        var last = HttpStatusCode.OK;
        await Eventually.That(async () => (last = await StatusOf(url)) == expected,
            $"{url} answers {(int)expected} after the edit", ReloadBudget, () => $"it still answers {(int)last}");
    }

    private Task WaitForLog(string text) =>
        Eventually.That(() => _logs.Entries.Any(e => e.Text.Contains(text, StringComparison.Ordinal)), $"the log says \"{text}\"", ReloadBudget);

    [Test]
    public async Task A_source_added_while_running_serves_without_a_restart()
    {
        Start();
        Assert.That(await StatusOf("/extra/pic.png?w=10"), Is.EqualTo(HttpStatusCode.NotFound), "not configured yet");

        EditInPlace(Sources.Replace("""{"sources":[""", """{"sources":[{"name":"extra","pathPrefix":"/extra","kind":"folder","folder":{"root":"./images"}},"""));

        await WaitFor("/extra/pic.png?w=10", HttpStatusCode.OK);
        Assert.That(await StatusOf("/samples/pic.png?w=10"), Is.EqualTo(HttpStatusCode.OK), "the other sources still serve");
    }

    /// <summary>
    /// What the kubelet does to a ConfigMap volume, step by step: the key is a symlink through <c>..data</c> into a
    /// timestamped directory; an update writes a new timestamped directory, points a new symlink at it and renames
    /// that over <c>..data</c>. sources.json itself is never written, so a watcher on its name alone misses it.
    /// </summary>
    [Test]
    public async Task A_ConfigMap_update_by_data_symlink_swap_is_applied()
    {
        string? mount = null;
        Start(sourcesFile: app =>
        {
            mount = Path.Combine(app.Directory, "configmap");
            // Absolute roots: a relative root would resolve against the mount, where the images are not.
            var text = File.ReadAllText(app.SourcesPath).Replace("./images", Path.Combine(app.Directory, "images")).Replace("./nested", Path.Combine(app.Directory, "nested"));
            WriteConfigMapVersion(mount, "..2026_12_04_10_00_00.000000001", text);
            File.CreateSymbolicLink(Path.Combine(mount, "..data"), "..2026_12_04_10_00_00.000000001");
            File.CreateSymbolicLink(Path.Combine(mount, "sources.json"), Path.Combine("..data", "sources.json"));
            return Path.Combine(mount, "sources.json");
        });
        Assert.That(await StatusOf("/samples/pic.png?w=10"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusOf("/extra/pic.png?w=10"), Is.EqualTo(HttpStatusCode.NotFound), "not configured yet");

        var current = File.ReadAllText(Path.Combine(mount!, "sources.json"));
        WriteConfigMapVersion(mount!, "..2026_12_04_10_05_00.000000002", current.Replace(
            """{"sources":[""", $$$"""{"sources":[{"name":"extra","pathPrefix":"/extra","kind":"folder","folder":{"root":"{{{Path.Combine(_app.Directory, "images")}}}"}},"""));
        File.CreateSymbolicLink(Path.Combine(mount!, "..data_tmp"), "..2026_12_04_10_05_00.000000002");
        // rename(2) over the old symlink: atomic, as the kubelet's atomic writer does it (File.Move refuses a link to a directory).
        Assert.That(Rename(Path.Combine(mount!, "..data_tmp"), Path.Combine(mount!, "..data")), Is.EqualTo(0), "rename(2)");
        Directory.Delete(Path.Combine(mount!, "..2026_12_04_10_00_00.000000001"), recursive: true);

        await WaitFor("/extra/pic.png?w=10", HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(new FileInfo(Path.Combine(mount!, "sources.json")).LinkTarget, Is.EqualTo(Path.Combine("..data", "sources.json")), "the key itself was never rewritten");
            Assert.That(new FileInfo(Path.Combine(mount!, "..data")).LinkTarget, Is.EqualTo("..2026_12_04_10_05_00.000000002"));
        });
        Assert.That(await StatusOf("/samples/pic.png?w=10"), Is.EqualTo(HttpStatusCode.OK), "the other sources still serve");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    private static void WriteConfigMapVersion(string mount, string version, string sources)
    {
        Directory.CreateDirectory(Path.Combine(mount, version));
        File.WriteAllText(Path.Combine(mount, version, "sources.json"), sources);
    }

    [Test]
    public async Task A_changed_token_is_enforced_without_a_restart()
    {
        Start();
        var withOldToken = ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/pic.png", "w=12");
        var withNewToken = ImgixSigner.Sign("rotated-token", "/signed/pic.png", "w=12");
        Assert.That(await StatusOf(withOldToken), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await StatusOf(withNewToken), Is.EqualTo(HttpStatusCode.Forbidden));

        EditByRename(Sources.Replace($"""["old-token","{ProxyApplication.SigningToken}"]""", """["rotated-token"]"""));

        await WaitFor(withNewToken, HttpStatusCode.OK);
        // The URL signed with the removed token must now fail, even though its rendering was served (and
        // possibly cached) a moment ago.
        Assert.That(await StatusOf(withOldToken), Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("""{"sources":[{"name":"broken","pathPrefix":"/broken","kind":"folder","folder":{"rooot":"./images"}}]}""", "broken", "rooot")]
    [TestCase("""{"sources":[{"name":"half-written","pathPrefix":""", "not valid JSON", "LineNumber")]
    public async Task A_broken_edit_is_logged_and_the_last_good_configuration_keeps_serving(string broken, string named, string key)
    {
        Start();
        EditInPlace(Sources.Replace("""{"sources":[""", """{"sources":[{"name":"extra","pathPrefix":"/extra","kind":"folder","folder":{"root":"./images"}},"""));
        await WaitFor("/extra/pic.png?w=10", HttpStatusCode.OK);

        EditInPlace(broken);
        await WaitForLog("keeping the last good configuration");

        var problems = _logs.Entries.Where(e => e.Level == LogLevel.Error && e.Text.Contains("keeping the last good configuration")).Select(e => e.Text).ToArray();
        var added = await StatusOf("/extra/pic.png?w=10");
        var original = await StatusOf("/samples/pic.png?w=10");
        var fromBrokenEdit = await StatusOf("/broken/pic.png?w=10");
        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.Length.EqualTo(1), "one error for the one broken edit");
            Assert.That(problems.FirstOrDefault(), Does.Contain(named).And.Contain(key));
            Assert.That(added, Is.EqualTo(HttpStatusCode.OK), "the last good configuration, with its added source");
            Assert.That(original, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(fromBrokenEdit, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task A_request_in_flight_during_a_reload_finishes_on_its_old_source()
    {
        // A web origin that holds its answer until the test releases it, so the reload happens mid-request.
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var png = TestImages.Png(80, 40);
        await using var origin = new LocalObjectServer();
        await origin.StartAsync(app => app.MapGet("/held/pic.png", async () =>
        {
            arrived.TrySetResult();
            await release.Task;
            return Results.Bytes(png, "image/png");
        }));
        Start($$$"""{"name":"held","pathPrefix":"/held","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{origin.BaseUrl}}}held/","timeoutSeconds":30}}""");

        var inFlight = _client.GetAsync("/held/pic.png?w=40");
        await arrived.Task.WaitAsync(ReloadBudget);

        // The edit removes the in-flight request's source and adds another; wait until it is live.
        EditByRename(Sources.Replace("\"name\":\"held\"", "\"name\":\"unused\"").Replace("\"pathPrefix\":\"/held\"", "\"pathPrefix\":\"/unused\"")
            .Replace("""{"sources":[""", """{"sources":[{"name":"extra","pathPrefix":"/extra","kind":"folder","folder":{"root":"./images"}},"""));
        await WaitFor("/extra/pic.png?w=10", HttpStatusCode.OK);
        Assert.That(await StatusOf("/held/pic.png?w=40"), Is.EqualTo(HttpStatusCode.NotFound), "new requests see the new configuration");
        Assert.That(inFlight.IsCompleted, Is.False, "the held request is still waiting on its origin");

        release.SetResult();
        using var response = await inFlight.WaitAsync(ReloadBudget);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((40, 20)));
    }
}
