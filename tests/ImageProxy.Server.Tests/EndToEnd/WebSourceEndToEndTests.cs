using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>A web source through the whole server, against a local Kestrel origin: success and each origin failure's status.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class WebSourceEndToEndTests
{
    private WebApplication _origin = null!;
    private ProxyApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _origin = builder.Build();
        var png = TestImages.Png(120, 60);
        _origin.MapGet("/media/pic.png", () => Results.Bytes(png, "image/png", lastModified: DateTimeOffset.UtcNow.AddDays(-1)));
        _origin.MapGet("/media/boom.png", () => Results.StatusCode(500));
        _origin.MapGet("/media/big.png", () => Results.Bytes(new byte[200_000], "image/png"));
        _origin.MapGet("/media/slow.png", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Bytes(png, "image/png");
        });
        await _origin.StartAsync();
        var address = _origin.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _app = new ProxyApplication($$$"""
            {"name":"remote","pathPrefix":"/remote","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{address}}}/media/","timeoutSeconds":0.5,"maxBytes":100000}}
            """);
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        _app.Dispose();
        await _origin.StopAsync();
        await _origin.DisposeAsync();
    }

    [Test]
    public async Task A_web_original_is_fetched_and_rendered()
    {
        using var response = await _client.GetAsync("/remote/pic.png?w=60");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((60, 30)));
        Assert.That(response.Content.Headers.LastModified, Is.Not.Null, "Last-Modified comes from the origin");
    }

    [TestCase("missing.png", HttpStatusCode.NotFound)]
    [TestCase("boom.png", HttpStatusCode.BadGateway)]
    [TestCase("slow.png", HttpStatusCode.GatewayTimeout)]
    [TestCase("big.png", HttpStatusCode.RequestEntityTooLarge)]
    public async Task Origin_failures_have_their_own_status_and_a_short_body(string file, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync($"/remote/{file}?w=10");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(body, Does.Not.Contain("127.0.0.1").And.Not.Contain("Exception").And.Not.Contain("   at "));
    }
}
