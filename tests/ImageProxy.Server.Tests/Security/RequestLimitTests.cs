using System.Net;

namespace ImageProxy.Server.Tests.Security;

/// <summary>URL length (414), parameter count (400), dpr/blur/sharp bounds and source/output size limits through the server.</summary>
[Category("EndToEnd")]
public sealed class RequestLimitTests : HostileProxyFixture
{
    private static string UrlOfLength(int length)
    {
        const string head = "/img/pic.png?w=10&pad=";
        return head + "0" + "&x=" + new string('a', length - head.Length - 4);
    }

    [Test]
    public async Task A_url_over_8000_characters_is_414()
    {
        var url = UrlOfLength(8001);
        Assert.That(url, Has.Length.EqualTo(8001));
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task A_url_of_exactly_8000_characters_is_served()
    {
        using var response = await Client.GetAsync(UrlOfLength(8000));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_length_limit_is_configurable()
    {
        using var app = new HostileProxy(settings: new Dictionary<string, string?> { ["ImageProxy:Security:MaxUrlLength"] = "300" });
        using var client = app.CreateClient();
        using var ok = await client.GetAsync(UrlOfLength(300));
        using var tooLong = await client.GetAsync(UrlOfLength(301));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
    }

    [Test]
    public async Task More_than_100_parameters_is_400()
    {
        var hundred = string.Join('&', Enumerable.Range(0, 100).Select(i => $"p{i}x=1"));
        using var ok = await Client.GetAsync("/img/pic.png?" + hundred);
        using var tooMany = await Client.GetAsync("/img/pic.png?" + hundred + "&w=10");
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("dpr=5", HttpStatusCode.OK)]
    [TestCase("dpr=5.01", HttpStatusCode.BadRequest)]
    [TestCase("blur=2000", HttpStatusCode.OK)]
    [TestCase("blur=2001", HttpStatusCode.BadRequest)]
    [TestCase("sharp=100", HttpStatusCode.OK)]
    [TestCase("sharp=101", HttpStatusCode.BadRequest)]
    [TestCase("w=8192", HttpStatusCode.OK)]
    [TestCase("w=8193", HttpStatusCode.BadRequest)]
    public async Task Radius_and_scale_parameters_are_bounded(string query, HttpStatusCode status)
    {
        using var response = await Client.GetAsync("/img/pic.png?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(status));
    }

    [Test]
    public async Task The_output_never_exceeds_8192_per_side_or_50_megapixels()
    {
        // 64×32 upscaled to w=8192 at dpr 5 asks for 40960×20480; the output is sized down to the limits.
        using var response = await Client.GetAsync("/img/pic.png?w=8192&dpr=5&fit=scale&h=4096&fm=png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var (width, height) = TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync())!.Value;
        Assert.That(Math.Max(width, height), Is.LessThanOrEqualTo(8192));
        Assert.That((long)width * height, Is.LessThanOrEqualTo(50_000_000));
    }
}
