using System.Net;
using System.Text.Json;
using ImageProxy.Server.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>fm=json, palette, fm=blurhash and max-bytes through the server: media types, the result cache and headers.</summary>
[Category("EndToEnd")]
public sealed class DocumentEndpointTests
{
    private ProxyApplication _app = null!;
    private WebApplicationFactory<Program> _server = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _app = new ProxyApplication();
        // The result cache needs a directory: with it, documents and budgeted images are stored and hit like any result.
        _server = _app.WithWebHostBuilder(builder => builder.UseSetting("ImageProxy:CacheDir", Path.Combine(_app.Directory, "cache")));
        _client = _server.CreateClient();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _server.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task Json_is_served_as_json_and_cached_like_an_image()
    {
        using var first = await _client.GetAsync("/samples/photo.jpg?fm=json");
        using var second = await _client.GetAsync("/samples/photo.jpg?fm=json");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var doc = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.That((doc.GetProperty("PixelWidth").GetInt32(), doc.GetProperty("PixelHeight").GetInt32()), Is.EqualTo((640, 427)));
        Assert.That(first.Headers.GetValues(ResponseHeaders.CacheStatusHeader).Single(), Is.EqualTo("MISS"));
        Assert.That(second.Headers.GetValues(ResponseHeaders.CacheStatusHeader).Single(), Does.StartWith("HIT"));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
    }

    [Test]
    public async Task A_document_does_not_vary_on_accept_even_with_auto_format()
    {
        using var response = await _client.GetAsync("/defaults/photo.jpg?fm=blurhash");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Headers.Vary, Is.Empty);
        Assert.That(await response.Content.ReadAsStringAsync(), Has.Length.EqualTo(28));
    }

    [Test]
    public async Task Palette_css_is_served_as_css()
    {
        using var response = await _client.GetAsync("/samples/photo.jpg?palette=css&prefix=rocket");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith(".rocket-fg-1 {"));
    }

    [Test]
    public async Task Max_bytes_is_met_reports_its_quality_and_keys_the_cache()
    {
        using var loose = await _client.GetAsync("/samples/photo.jpg?w=600&fm=jpg");
        using var tight = await _client.GetAsync("/samples/photo.jpg?w=600&fm=jpg&max-bytes=15000");
        using var again = await _client.GetAsync("/samples/photo.jpg?w=600&fm=jpg&max-bytes=15000");
        Assert.Multiple(async () =>
        {
            Assert.That(loose.Headers.GetValues(ResponseHeaders.QualityHeader).Single(), Is.EqualTo("75"));
            Assert.That((await tight.Content.ReadAsByteArrayAsync()).Length, Is.LessThanOrEqualTo(15000));
            var q = int.Parse(tight.Headers.GetValues(ResponseHeaders.QualityHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(q, Is.InRange(30, 74));
            Assert.That(again.Headers.GetValues(ResponseHeaders.QualityHeader).Single(), Is.EqualTo(q.ToString(System.Globalization.CultureInfo.InvariantCulture)), "a cache hit repeats it");
            Assert.That(again.Headers.GetValues(ResponseHeaders.CacheStatusHeader).Single(), Does.StartWith("HIT"));
            Assert.That(tight.Headers.ETag, Is.Not.EqualTo(loose.Headers.ETag));
            Assert.That(tight.Headers.Contains(ResponseHeaders.DownscaledHeader), Is.False);
        });
    }

    [Test]
    public async Task Max_bytes_below_what_min_q_reaches_shrinks_and_says_so()
    {
        using var response = await _client.GetAsync("/samples/photo.jpg?w=600&fm=jpg&min-q=60&max-bytes=4000");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.That(body.Length, Is.LessThanOrEqualTo(4000));
        Assert.That(response.Headers.GetValues(ResponseHeaders.DownscaledHeader).Single(), Does.StartWith("max-bytes; "));
        Assert.That(response.Headers.GetValues(ResponseHeaders.QualityHeader).Single(), Is.EqualTo("60"));
    }
}
