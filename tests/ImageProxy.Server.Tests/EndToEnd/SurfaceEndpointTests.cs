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
        var (status, body) = await Get("/strict/pic.png?w=50&txt=Hi&grid-size64=OA&ixlib=js-3.8.0&sat=-100&mark=/pic.png&transparency=grid");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("grid-size, transparency").And.Not.Contain("ixlib").And.Not.Contain("sat").And.Not.Contain("txt").And.Not.Contain("mark"));
    }

    [Test]
    public async Task The_default_source_ignores_them_and_renders_the_rest()
    {
        var (ignored, _) = await Get("/samples/pic.png?w=50&txt=Hi&transparency=grid&sat=-100");
        var (strictOk, _) = await Get("/strict/pic.png?w=50&sat=-100&border=2,000&trim=auto");
        Assert.That((ignored, strictOk), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
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
