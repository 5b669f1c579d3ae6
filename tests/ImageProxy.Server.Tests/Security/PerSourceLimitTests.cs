using System.Net;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Tests.Security;

/// <summary>sources.json "limits": a source can tighten or loosen the global limits, and only its own requests feel it.</summary>
[Category("EndToEnd")]
public sealed class PerSourceLimitTests
{
    private HostileProxy _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new HostileProxy(
            populate: images => File.WriteAllBytes(Path.Combine(images, "frames-150.gif"), MalformedImages.Gif(1, 1, 150)),
            extraSources: """
                ,{"name":"strict","pathPrefix":"/strict","kind":"folder","folder":{"root":"./images"},"limits":{"maxSourcePixels":1000,"maxDpr":2}}
                ,{"name":"tiny","pathPrefix":"/tiny","kind":"folder","folder":{"root":"./images"},"limits":{"maxSourceBytes":100}}
                ,{"name":"loose","pathPrefix":"/loose","kind":"folder","folder":{"root":"./images"},"limits":{"maxSourceFrames":500}}
                ,{"name":"narrow","pathPrefix":"/narrow","kind":"folder","folder":{"root":"./images"},"limits":{"maxOutputSide":40}}
                """);
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<HttpStatusCode> Status(string url)
    {
        using var response = await _client.GetAsync(url);
        return response.StatusCode;
    }

    [Test]
    public async Task A_stricter_pixel_limit_refuses_what_the_global_one_allows()
    {
        Assert.That(await Status("/img/pic.png?w=10"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status("/strict/pic.png?w=10"), Is.EqualTo(HttpStatusCode.UnprocessableEntity), "64×32 = 2048 px > 1000");
    }

    [Test]
    public async Task A_stricter_dpr_limit_is_a_400()
    {
        Assert.That(await Status("/img/pic.png?w=10&dpr=3"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status("/strict/pic.png?w=10&dpr=3"), Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_stricter_byte_limit_reaches_the_folder_origin()
    {
        Assert.That(await Status("/tiny/pic.png?w=10"), Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_looser_frame_limit_admits_what_the_global_one_refuses()
    {
        Assert.That(await Status("/img/frames-150.gif?w=1"), Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await Status("/loose/frames-150.gif?w=1"), Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_smaller_output_side_sizes_the_output_down()
    {
        using var response = await _client.GetAsync("/narrow/pic.png?w=64&fm=png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync())!.Value.Width, Is.LessThanOrEqualTo(40));
    }

    [TestCase("""{"maxSourcePixel":5}""", "limits.maxSourcePixel")]
    [TestCase("""{"maxSourceBytes":0}""", "limits.maxSourceBytes")]
    [TestCase("""{"maxDpr":0.5}""", "limits.maxDpr")]
    [TestCase("""[1]""", "'limits'")]
    public void Bad_limits_are_refused_naming_the_key(string limits, string key)
    {
        var json = $$$"""{"sources":[{"name":"s","pathPrefix":"/s","kind":"folder","folder":{"root":"."},"limits":{{{limits}}}}]}""";
        var error = Assert.Throws<SourcesFileException>(() => SourcesFile.Parse(json, _app.Directory, Transform.Limits.Default, _ => null));
        Assert.That(error!.Message, Does.Contain(key));
    }
}
