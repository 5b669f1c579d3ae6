using System.Net;
using System.Text.Json;

namespace ImageProxy.Server.Tests.EndToEnd;

public sealed class OpsEndpointTests : EndToEndTest
{
    [Test]
    public async Task Live_answers_ok()
    {
        using var response = await Get("/_imageproxy/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
    }

    [Test]
    [Category("Smoke")]
    public async Task Ready_runs_the_probe_and_reports_capabilities_and_source_names_only()
    {
        using var response = await Get("/_imageproxy/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("ready"));
            Assert.That(root.GetProperty("libvips").GetProperty("version").GetString(), Does.Match(@"^\d+\.\d+"));
            Assert.That(root.GetProperty("libvips").GetProperty("libraryPath").GetString(), Is.Not.Empty);
            Assert.That(root.GetProperty("libvips").GetProperty("loaders").EnumerateArray().Select(e => e.GetString()), Does.Contain("png"));
            Assert.That(root.GetProperty("libvips").GetProperty("savers").EnumerateArray().Select(e => e.GetString()), Does.Contain("jpeg"));
            Assert.That(root.GetProperty("sources").EnumerateArray().Select(e => e.GetString()),
                Is.EquivalentTo(new[] { "defaults", "nested", "samples", "signed" }));
            Assert.That(body, Does.Not.Contain(App.Directory), "folder roots are not published");
            Assert.That(body, Does.Not.Contain(ProxyApplication.SigningToken));
        });
    }

    [Test]
    public async Task Unknown_paths_under_the_reserved_prefix_are_not_found()
    {
        using var response = await Get("/_imageproxy/nothing-here");

        await AssertProblem(response, HttpStatusCode.NotFound);
    }
}
