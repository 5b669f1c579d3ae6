using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>
/// mark, blend and mask images through the whole server (real libvips, real caches) against a local Kestrel origin that
/// counts requests per path: the picture and the watermark are real corpus images.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class OverlayEndpointTests
{
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private WebApplication _origin = null!;
    private ProxyApplication _app = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _server = null!;
    private HttpClient _client = null!;
    private string _address = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _origin = builder.Build();
        _origin.Use(async (context, next) =>
        {
            _requests.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
            await next();
        });
        var photo = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "icc-adobergb-rocket-640x427.jpg"));
        var logo = File.ReadAllBytes(Path.Combine(RepositoryPaths.Corpus, "alpha-gopher-1000x1000.png"));
        _origin.MapGet("/media/photo.jpg", () => Results.Bytes(photo, "image/jpeg"));
        _origin.MapGet("/media/logo.png", () => Results.Bytes(logo, "image/png"));
        _origin.MapGet("/media/huge.png", () => Results.Bytes(new byte[300_000], "image/png"));
        _origin.MapGet("/cdn/logo.png", () => Results.Bytes(logo, "image/png"));
        await _origin.StartAsync();
        _address = _origin.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _app = new ProxyApplication($$$"""
            {"name":"remote","pathPrefix":"/remote","kind":"web","allowPrivateAddresses":true,"overlayHosts":["127.0.0.1"],
             "web":{"baseUrl":"{{{_address}}}/media/","maxBytes":200000}},
            {"name":"guarded","pathPrefix":"/guarded","kind":"folder","folder":{"root":"./images"},"overlayHosts":["127.0.0.1"]}
            """);
        // With a result cache (a disk tier), as in production: overlays are cached like originals.
        _server = _app.WithWebHostBuilder(builder => builder.UseSetting("ImageProxy:CacheDir", Path.Combine(_app.Directory, "cache")));
        _client = _server.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        _server.Dispose();
        _app.Dispose();
        await _origin.StopAsync();
        await _origin.DisposeAsync();
    }

    private int Requests(string path) => _requests.GetValueOrDefault(path);

    private async Task<(HttpStatusCode Status, byte[] Body)> Get(string url)
    {
        using var response = await _client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task A_watermark_on_many_variants_is_fetched_from_the_origin_once()
    {
        for (var width = 120; width <= 300; width += 20)
        {
            var (status, body) = await Get($"/remote/photo.jpg?w={width}&mark=/logo.png&mark-w=0.3&fm=png");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
            Assert.That(TestImages.Dimensions(body)?.Width, Is.EqualTo(width));
        }

        // Whichever test ran first: one fetch each in all (the mask test uses the same two objects).
        Assert.That(Requests("/media/logo.png"), Is.EqualTo(1));
        Assert.That(Requests("/media/photo.jpg"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_url_watermark_on_a_listed_host_is_drawn_and_fetched_once()
    {
        var url = $"{_address}/cdn/logo.png";
        var encoded = Base64Url(url);
        var (plainStatus, plain) = await Get("/remote/photo.jpg?w=200&fm=png");
        var (status, marked) = await Get($"/remote/photo.jpg?w=200&fm=png&mark={Uri.EscapeDataString(url)}&mark-w=60&mark-align=top,left&mark-pad=0");
        var (status64, _) = await Get($"/remote/photo.jpg?w=210&fm=png&mark64={encoded}&mark-w=60");
        var (statusBlend, _) = await Get($"/remote/photo.jpg?w=220&fm=png&blend64={encoded}&bm=multiply&bs=inherit");

        Assert.That((plainStatus, status, status64, statusBlend), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(Requests("/cdn/logo.png"), Is.EqualTo(1), "one fetch for three variants and two parameters");
        Assert.That(Pixel(marked, 30, 30), Is.Not.EqualTo(Pixel(plain, 30, 30)), "the gopher covers its box's centre");
        Assert.That(Pixel(marked, 150, 100), Is.EqualTo(Pixel(plain, 150, 100)), "and nothing far from it");
    }

    [TestCase("mark=https://images.example.org/x.png", "mark")]
    [TestCase("blend=http%3A%2F%2Fcdn.example.net%2Ft.png", "blend")]
    [TestCase("mask=https://127.0.0.2/m.png", "mask")]
    public async Task A_url_on_a_host_the_source_does_not_list_is_a_403_naming_the_parameter(string query, string parameter)
    {
        var (status, body) = await Get($"/remote/photo.jpg?w=100&{query}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Encoding.UTF8.GetString(body), Does.Contain($"'{parameter}'"));
    }

    [Test]
    public async Task A_missing_overlay_is_a_422_naming_the_parameter()
    {
        var (status, body) = await Get("/remote/photo.jpg?w=100&mark=/nope.png");
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(Encoding.UTF8.GetString(body), Does.Contain("mark: the image was not found"));
    }

    [Test]
    public async Task An_overlay_over_the_byte_cap_is_a_413_naming_the_parameter()
    {
        var (status, body) = await Get("/remote/photo.jpg?w=100&mark=/huge.png");
        Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(Encoding.UTF8.GetString(body), Does.Contain("mark: the image is larger than 200000 bytes"));
    }

    [Test]
    public async Task The_address_guard_applies_to_overlay_urls()
    {
        // The folder source lists 127.0.0.1 but may not reach private addresses: refused after DNS, before any request.
        var before = Requests("/cdn/logo.png");
        var (status, body) = await Get($"/guarded/pic.png?w=50&mark={Uri.EscapeDataString(_address + "/cdn/logo.png")}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Encoding.UTF8.GetString(body), Does.Contain("mark:").And.Not.Contain("127.0.0.1"));
        Assert.That(Requests("/cdn/logo.png"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_mask_image_path_masks_the_picture()
    {
        var (status, body) = await Get("/remote/photo.jpg?w=120&h=120&fit=crop&fm=png&mask=/logo.png");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), Encoding.UTF8.GetString(body));
        Assert.That(Pixel(body, 1, 1)[3], Is.EqualTo(0), "the gopher's transparent corner");
        Assert.That(Pixel(body, 60, 70)[3], Is.EqualTo(255), "its opaque body");
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static double[] Pixel(byte[] png, int x, int y)
    {
        using var image = NetVips.Image.NewFromBuffer(png);
        return image.Getpoint(x, y);
    }
}
