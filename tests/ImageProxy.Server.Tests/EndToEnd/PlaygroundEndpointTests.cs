using System.Net;
using System.Text.Json;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Hosting;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>The playground is off unless configured; the parameter table is served as JSON; the page is locked down.</summary>
public sealed class PlaygroundEndpointTests : EndToEndTest
{
    [Test]
    public async Task The_playground_is_off_by_default()
    {
        using var page = await Get("/_imageproxy/playground");
        using var sources = await Get("/_imageproxy/playground/sources.json");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(sources.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_parameter_table_is_served_in_order_with_aliases_and_values()
    {
        using var response = await Get("/_imageproxy/parameters");
        var table = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.That(table.EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(Parameters.All.Select(p => p.Name)));
        var width = table.EnumerateArray().First();
        Assert.That(width.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "width" }));
        Assert.That(width.GetProperty("values").GetString(), Is.EqualTo(Parameters.Find("w")!.Values));
    }

    [Test]
    public async Task When_enabled_the_page_has_a_strict_policy_and_lists_folder_images()
    {
        using var enabled = App.WithWebHostBuilder(b => b.UseSetting("ImageProxy:Playground:Enabled", "true"));
        using var client = enabled.CreateClient();
        using var page = await client.GetAsync("/_imageproxy/playground");
        var html = await page.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.That(policy, Does.StartWith("default-src 'none'").And.Contain("script-src 'self'").And.Not.Contain("unsafe"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "no external scripts or styles");

        foreach (var asset in new[] { "playground.js", "md5.js", "playground.css" })
        {
            using var response = await client.GetAsync($"/_imageproxy/playground/{asset}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), asset);
        }

        var sources = JsonSerializer.Deserialize<JsonElement>(await client.GetStringAsync("/_imageproxy/playground/sources.json"));
        var samples = sources.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "samples");
        Assert.That(samples.GetProperty("images").EnumerateArray().Select(i => i.GetString()), Does.Contain("pic.png").And.Not.Contain("garbage.txt"));
        var signed = sources.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "signed");
        Assert.That(signed.GetProperty("signed").GetBoolean(), Is.True);
        Assert.That(sources.ToString(), Does.Not.Contain(ProxyApplication.SigningToken), "tokens never leave the server");
        Assert.That(sources.ToString(), Does.Not.Contain(App.Directory), "nor do folder roots");
    }

    [Test]
    public async Task Image_answers_carry_server_timing()
    {
        using var response = await Get("/samples/pic.png?w=33");
        Assert.That(Header(response, "Server-Timing"), Does.Match(@"^origin;dur=[\d.]+, queue;dur=[\d.]+, render;dur=[\d.]+, total;dur=[\d.]+$"));
    }
}
