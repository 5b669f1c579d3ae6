using System.Net;
using System.Text.RegularExpressions;
using ImageProxy.Samples.Razor;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageProxy.Server.Tests.Web;

/// <summary>
/// Renders the TagHelper sample site (samples/razor) and asks the real server, running the bundled samples/sources.json,
/// for what the markup points at: every URL must carry a valid signature and the images must come back at the promised size.
/// </summary>
[Category("EndToEnd")]
public sealed partial class SampleRazorSiteTests
{
    private const string DemoToken = "imageproxy-demo-token"; // samples/sources.json

    private WebApplicationFactory<SampleSite> _site = null!;
    private WebApplicationFactory<Program> _server = null!;
    private string _html = "";

    [OneTimeSetUp]
    public async Task RenderTheSample()
    {
        _site = new WebApplicationFactory<SampleSite>().WithWebHostBuilder(b => b.UseSetting("ImageProxyClient:BaseUrl", ""));
        _server = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ImageProxy:SourcesFile", Path.Combine(RepositoryPaths.Root, "samples/sources.json"));
            b.UseEnvironment("Production");
        });
        using var client = _site.CreateClient();
        _html = await client.GetStringAsync("/");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _site.Dispose();
        _server.Dispose();
    }

    private string Element(string tag, string id) =>
        Regex.Match(_html, $"<{tag}[^>]*\\bid=\"{id}\"[^>]*>(.*?</{tag}>)?", RegexOptions.Singleline) is { Success: true } m
            ? m.Value
            : throw new AssertionException($"no <{tag} id={id}> in:\n{_html}");

    private static string? Attribute(string element, string name) =>
        Regex.Match(element, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static List<(string Url, string Descriptor)> Candidates(string srcset) =>
        srcset.Split(",\n").Select(c => (c[..c.LastIndexOf(' ')], c[(c.LastIndexOf(' ') + 1)..])).ToList();

    [Test]
    public void The_markup_never_contains_the_token()
    {
        Assert.That(_html, Does.Not.Contain(DemoToken));
        Assert.That(Regex.IsMatch(_html, "<[a-z]+[^>]*\\sip-[a-z-]+="), Is.False, "every ip- attribute is consumed by the TagHelpers");
    }

    [Test]
    public async Task The_fluid_img_has_signed_width_candidates_up_to_the_configured_maximum()
    {
        var img = Element("img", "fluid");
        var candidates = Candidates(Attribute(img, "srcset")!);
        Assert.That(Attribute(img, "sizes"), Is.EqualTo("(min-width: 60rem) 60rem, 100vw"));
        Assert.That(Attribute(img, "src"), Does.StartWith("/signed/garden-1600x1000.jpg?auto=format&s="));
        Assert.That(candidates.Select(c => c.Descriptor), Is.EqualTo(Client.SrcsetBuilder.TargetWidths(100, 1600, 0.08).Select(w => $"{w}w")));
        Assert.That(candidates.Where(c => !Signature.VerifyTarget([DemoToken], c.Url)), Is.Empty);

        using var server = _server.CreateClient();
        using var response = await server.GetAsync(candidates[9].Url); // 380w
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), candidates[9].Url);
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync())?.Width, Is.EqualTo(380));
    }

    [Test]
    public async Task The_fixed_img_lists_densities_and_its_box()
    {
        var img = Element("img", "fixed");
        Assert.That(Attribute(img, "width"), Is.EqualTo("200"));
        Assert.That(Attribute(img, "height"), Is.EqualTo("200"));
        var candidates = Candidates(Attribute(img, "srcset")!);
        Assert.That(candidates.Select(c => c.Descriptor), Is.EqualTo(new[] { "1x", "2x", "3x", "4x", "5x" }));

        using var server = _server.CreateClient();
        using var response = await server.GetAsync(candidates[1].Url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), candidates[1].Url);
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo((400, 400)));
    }

    [Test]
    public void The_picture_has_a_source_per_format_then_the_fallback_img()
    {
        var picture = Element("picture", "formats");
        var sources = Regex.Matches(picture, "<source[^>]*>").Select(m => m.Value).ToList();
        Assert.That(sources.Select(s => Attribute(s, "type")), Is.EqualTo(new[] { "image/avif", "image/webp" }));
        Assert.That(Candidates(Attribute(sources[0], "srcset")!).Select(c => c.Url), Has.All.Contains("fm=avif"));
        Assert.That(Candidates(Attribute(sources[0], "srcset")!).Where(c => !Signature.VerifyTarget([DemoToken], c.Url)), Is.Empty);

        var img = Regex.Match(picture, "<img[^>]*>").Value;
        Assert.That(picture.IndexOf("<img", StringComparison.Ordinal), Is.GreaterThan(picture.LastIndexOf("<source", StringComparison.Ordinal)));
        Assert.That(Attribute(img, "alt"), Is.EqualTo("A garden, cropped to 16:9"));
        Assert.That(Attribute(img, "loading"), Is.EqualTo("lazy"));
        Assert.That((Attribute(img, "width"), Attribute(img, "height")), Is.EqualTo(("640", "360")));
        Assert.That(Attribute(Regex.Match(picture, "<picture[^>]*>").Value, "alt"), Is.Null, "alt moved to the img");
    }
}
