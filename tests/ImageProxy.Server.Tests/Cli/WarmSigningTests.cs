using ImageProxy.Server.Caching;
using ImageProxy.Server.Cli;

namespace ImageProxy.Server.Tests.Cli;

/// <summary>`warm` over an image sitemap whose images partly live on a signed source, against the real server.</summary>
[Category("EndToEnd")]
public sealed class WarmSigningTests
{
    private const string ImageSitemap = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
          <url>
            <loc>https://shop.example/products/pic</loc>
            <image:image><image:loc>https://cdn.example/signed/pic.png</image:loc></image:image>
            <image:image><image:loc>https://cdn.example/samples/cat%20and%20dog.png</image:loc></image:image>
          </url>
          <url><loc>https://cdn.example/samples/pic.png</loc></url>
        </urlset>
        """;

    private ProxyApplication _app = null!;
    private HttpClient _client = null!;
    private TempDirectory _dir = null!;
    private string _sitemap = null!;

    [SetUp]
    public void Start()
    {
        _app = new ProxyApplication();
        _client = _app.CreateClient();
        _dir = new TempDirectory();
        _sitemap = Path.Combine(_dir.Path, "sitemap.xml");
        File.WriteAllText(_sitemap, ImageSitemap);
    }

    [TearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
        _dir.Dispose();
    }

    [Test]
    public void The_image_locs_of_an_image_sitemap_are_warmed_and_the_page_is_not()
    {
        var options = new WarmOptions("http://proxy", null, _sitemap, [20], [], null, 2, null);

        Assert.That(WarmCommand.ExpandTargets(options), Is.EqualTo(new[]
        {
            "/signed/pic.png?w=20", "/samples/cat%20and%20dog.png?w=20", "/samples/pic.png?w=20",
        }));
    }

    [Test]
    public async Task With_the_sources_file_the_signed_sources_targets_are_signed_as_sign_prints_them()
    {
        var signer = SourceSigner.Load(_app.SourcesPath, _ => null);
        var options = new WarmOptions("http://proxy", null, _sitemap, [20, 30], ["png"], null, 2, null, signer);

        var targets = WarmCommand.ExpandTargets(options);
        var signedByCli = await TestCli.RunAsync("sign", "--sources", _app.SourcesPath, "--source", "signed", "pic.png", "w=20", "fm=png");

        Assert.Multiple(() =>
        {
            Assert.That(targets.Where(t => t.StartsWith("/signed/", StringComparison.Ordinal)), Has.All.Contains("&s="));
            Assert.That(targets.Where(t => t.StartsWith("/samples/", StringComparison.Ordinal)), Has.None.Contains("s="), "unsigned sources stay unsigned");
            Assert.That(targets, Does.Contain(signedByCli.Out.Trim()), "the same URL `sign` prints, newest token");
        });
    }

    [Test]
    public async Task Warm_with_the_sources_file_renders_everything_and_without_it_the_signed_images_are_refused()
    {
        var signer = SourceSigner.Load(_app.SourcesPath, _ => null);
        var signed = new WarmOptions("http://proxy", null, _sitemap, [20], ["png"], null, 2, null, signer);
        var unsigned = signed with { Signer = null, Widths = [21] };

        var output = new StringWriter();
        var withSignatures = await WarmCommand.RunAsync(signed, _client, output, TextWriter.Null, CancellationToken.None);
        var failures = new StringWriter();
        var withoutSignatures = await WarmCommand.RunAsync(unsigned, _client, failures, TextWriter.Null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(withSignatures, Is.Zero, output.ToString());
            Assert.That(output.ToString(), Does.Contain("3 requests").And.Contain("3 misses (rendered), 0 failures"));
            Assert.That(withoutSignatures, Is.EqualTo(1));
            Assert.That(failures.ToString(), Does.Contain("1 failures"), "the signed source refuses the unsigned URL (403)");
        });
    }

    [Test]
    public async Task The_warm_command_line_takes_the_sources_file()
    {
        var run = await TestCli.RunAsync("warm", "--base", "http://127.0.0.1:1", "--paths", _sitemap, "--widths", "20", "--sources", "/nonexistent/sources.json");

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Err, Does.Contain("no such file: /nonexistent/sources.json"));
    }
}
