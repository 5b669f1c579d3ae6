using System.Net;
using System.Text;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// SVG is rasterised with every external reference blocked: a file:// or http:// reference inside the SVG is never
/// read or fetched. Proof: a listener on loopback sees no connection, and the rendered PNG is byte-identical to
/// the same SVG without the reference (while an inline data: image, the control, does change the output).
/// </summary>
[Category("EndToEnd")]
// Smoke too: SVG safety rests on librsvg, so it is checked on both supported libvips builds.
[Category("Smoke")]
public sealed class SvgSafetyTests
{
    private const string Head = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">""";
    private const string Blank = """<rect width="100" height="100" fill="white"/>""";

    private FaultyOrigin _listener = null!;
    private HostileProxy _app = null!;
    private HttpClient _client = null!;
    private string _outsidePng = null!;
    private byte[] _blankRender = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var red = TestImages.Png(100, 100);
        _listener = new FaultyOrigin(red);
        _app = new HostileProxy();
        _client = _app.CreateClient();
        // An image OUTSIDE the source root, at an absolute path an attacker could guess.
        _outsidePng = Path.Combine(_app.Directory, "outside-red.png");
        File.WriteAllBytes(_outsidePng, red);
        File.WriteAllBytes(Path.Combine(_app.Images, "red.png"), red);
        var http = $"{_listener.BaseUrl}/ok.png";
        var file = "file://" + _outsidePng;
        var dataUri = "data:image/png;base64," + Convert.ToBase64String(red);

        Write("blank.svg", Head + Blank + "</svg>");
        Write("control-data-uri.svg", Head + Blank + $"""<image href="{dataUri}" width="100" height="100"/></svg>""");
        Write("file-href.svg", Head + Blank + $"""<image href="{file}" width="100" height="100"/></svg>""");
        Write("file-xlink.svg", Head + Blank + $"""<image xlink:href="{file}" width="100" height="100"/></svg>""");
        Write("file-relative.svg", Head + Blank + """<image href="red.png" width="100" height="100"/></svg>""");
        Write("file-hostname.svg", Head + Blank + """<image href="file:///etc/hostname" width="100" height="100"/></svg>""");
        Write("http-href.svg", Head + Blank + $"""<image href="{http}" width="100" height="100"/></svg>""");
        Write("http-xlink.svg", Head + Blank + $"""<image xlink:href="{http}" width="100" height="100"/></svg>""");
        Write("http-use.svg", Head + Blank + $"""<use href="{_listener.BaseUrl}/sprite.svg#a"/></svg>""");
        Write("http-css-import.svg", Head + $"""<style>@import url("{_listener.BaseUrl}/x.css");</style>""" + Blank + "</svg>");
        Write("http-fill-url.svg", Head + Blank + $"""<rect width="100" height="100" style="fill:url({_listener.BaseUrl}/p.svg#g)"/></svg>""");
        Write("http-pattern.svg", Head + Blank + $"""<rect width="100" height="100" fill="url({_listener.BaseUrl}/p.svg#g)"/></svg>""");
        Write("xxe-file.svg", $"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>""" + Head + Blank + """<text x="5" y="50">&x;</text></svg>""");
        Write("xxe-http.svg", $"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "{_listener.BaseUrl}/e.txt">]>""" + Head + Blank + """<text x="5" y="50">&x;</text></svg>""");
        Write("xinclude.svg", Head.Replace("<svg ", "<svg xmlns:xi=\"http://www.w3.org/2001/XInclude\" ") + Blank
            + $"""<text x="5" y="50"><xi:include href="{file}" parse="text"/></text><xi:include href="{_listener.BaseUrl}/inc.svg"/></svg>""");
        Write("script.svg", Head + Blank + $"""<script>fetch("{_listener.BaseUrl}/js")</script><image href="javascript:alert(1)" width="1" height="1"/></svg>""");

        _blankRender = await Render("blank.svg") ?? throw new InvalidOperationException("a plain SVG must render");
    }

    private void Write(string name, string svg) => File.WriteAllText(Path.Combine(_app.Images, name), svg, Encoding.UTF8);

    /// <summary>The PNG rendering, or null for a 4xx; anything else fails the test.</summary>
    private async Task<byte[]?> Render(string name)
    {
        using var response = await _client.GetAsync($"/img/{name}?fm=png&w=50");
        var body = await response.Content.ReadAsByteArrayAsync();
        TestContext.Out.WriteLine($"{name}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            return body;
        }

        Assert.That((int)response.StatusCode, Is.InRange(400, 499), $"{name}: {Encoding.UTF8.GetString(body)}");
        return null;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        _app.Dispose();
        await _listener.DisposeAsync();
    }

    [Test]
    public async Task The_control_inline_image_changes_the_output()
    {
        var rendered = await Render("control-data-uri.svg");
        Assert.That(rendered, Is.Not.Null);
        Assert.That(rendered, Is.Not.EqualTo(_blankRender), "if this failed, byte equality would prove nothing");
    }

    [TestCase("file-href.svg")]
    [TestCase("file-xlink.svg")]
    [TestCase("file-relative.svg")]
    [TestCase("file-hostname.svg")]
    [TestCase("xxe-file.svg")]
    [TestCase("xinclude.svg")]
    public async Task A_local_file_referenced_by_an_svg_is_never_read(string name)
    {
        var rendered = await Render(name);
        if (rendered is not null)
        {
            Assert.That(rendered, Is.EqualTo(_blankRender), "the referenced file did not reach the picture");
        }

        await _listener.DrainAsync();
        Assert.That(_listener.Connections, Is.Zero);
    }

    [TestCase("http-href.svg")]
    [TestCase("http-xlink.svg")]
    [TestCase("http-use.svg")]
    [TestCase("http-css-import.svg")]
    [TestCase("http-fill-url.svg")]
    [TestCase("http-pattern.svg")]
    [TestCase("xxe-http.svg")]
    [TestCase("xinclude.svg")]
    [TestCase("script.svg")]
    public async Task An_url_referenced_by_an_svg_is_never_fetched(string name)
    {
        var rendered = await Render(name);
        await _listener.DrainAsync();
        Assert.That(_listener.Connections, Is.Zero, "the listener saw a connection");
        if (rendered is not null && name is "http-href.svg" or "http-xlink.svg")
        {
            Assert.That(rendered, Is.EqualTo(_blankRender));
        }
    }
}
