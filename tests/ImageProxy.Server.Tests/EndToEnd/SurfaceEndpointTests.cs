using System.Net;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>The rendering surface through the server: the unsupported-parameter switch, refusals, and an effect served end to end.</summary>
[Category("EndToEnd")]
public sealed class SurfaceEndpointTests
{
    private ProxyApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        _app = new ProxyApplication("""
            {"name":"strict","pathPrefix":"/strict","kind":"folder","folder":{"root":"./images"},"unsupportedParameters":"reject"}
            """);
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> Get(string url)
    {
        using var response = await _client.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_rejecting_source_lists_every_unimplemented_imgix_parameter()
    {
        var (status, body) = await Get("/strict/pic.png?w=50&txt=Hi&mark64=L2xvZ28ucG5n&ixlib=js-3.8.0&sat=-100&blend=red");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("mark, blend").And.Not.Contain("ixlib").And.Not.Contain("sat").And.Not.Contain("txt"));
    }

    [Test]
    public async Task The_default_source_ignores_them_and_renders_the_rest()
    {
        var (ignored, _) = await Get("/samples/pic.png?w=50&txt=Hi&mark=/logo.png&sat=-100");
        var (strictOk, _) = await Get("/strict/pic.png?w=50&sat=-100&border=2,000&trim=auto");
        Assert.That((ignored, strictOk), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
    }

    [Test]
    public async Task A_mask_image_is_a_clear_400_until_overlays_are_fetched()
    {
        var (status, body) = await Get("/samples/pic.png?w=50&mask=/pic.png");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("'mask'"));
    }

    [Test]
    public async Task An_effect_is_part_of_the_cache_key()
    {
        using var plain = await _client.GetAsync("/samples/pic.png?w=50");
        using var grey = await _client.GetAsync("/samples/pic.png?w=50&sat=-100");
        Assert.That(grey.Headers.ETag, Is.Not.EqualTo(plain.Headers.ETag));
        Assert.That(await grey.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(await plain.Content.ReadAsByteArrayAsync()));
    }
}
