using System.Net;
using ImageProxy.Server.Cli;
using ImageProxy.Server.Tests.EndToEnd;
using ImageProxy.Transform;

namespace ImageProxy.Server.Tests.Cli;

/// <summary><c>url</c> and <c>srcset</c> against the end-to-end server's sources file: what they print is served.</summary>
public sealed class UrlAndSrcsetCommandTests : EndToEndTest
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);

    /// <summary>Runs `imageproxy COMMAND ARGS…` through the real command line.</summary>
    private static (int Code, string Output, string Error) Run(string command, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new Dictionary<string, string?> { ["IMG_TOKEN"] = ProxyApplication.SigningToken };
        var context = new CliContext(output, error, name => env.GetValueOrDefault(name), new FixedClock(Now));
        var outcome = ImageProxyCli.RunAsync([command, .. args], context).GetAwaiter().GetResult();
        return (outcome.ExitCode, output.ToString().TrimEnd(), error.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Test]
    public async Task Url_signs_for_a_signed_source_and_the_server_serves_it()
    {
        var (code, url, error) = Run(UrlCommand.Name, "--sources", App.SourcesPath, "--source", "signed", "cat and dog.png", "w=20", "txt64=hi");
        Assert.That(code, Is.Zero, error);
        Assert.That(url, Does.StartWith("/signed/cat%20and%20dog.png?w=20&txt64=aGk&s="));
        Assert.That(url, Does.Not.Contain(ProxyApplication.SigningToken));
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Url_leaves_an_unsigned_source_unsigned_and_adds_expires()
    {
        var (code, url, _) = Run(UrlCommand.Name, "--sources", App.SourcesPath, "--source", "samples", "--base-url", "https://img.example.com/", "/samples/pic.png", "w=5", "--expires-in", "60");
        Assert.That(code, Is.Zero);
        Assert.That(url, Is.EqualTo("https://img.example.com/samples/pic.png?w=5&expires=1900000060"));
    }

    [Test]
    public async Task Srcset_prints_signed_width_candidates_that_the_server_answers_at_their_width()
    {
        var (code, srcset, error) = Run(SrcsetCommand.Name, "--token-env", "IMG_TOKEN", "--max-width", "200", "/signed/pic.png", "fit=max");
        Assert.That(code, Is.Zero, error);
        var candidates = srcset.Split(",\n").Select(c => c.Split(' ')).ToList();
        Assert.That(candidates.Select(c => c[1]), Is.EqualTo(new[] { "100w", "116w", "135w", "156w", "181w", "200w" }));
        Assert.That(candidates.Where(c => !Signature.VerifyTarget([ProxyApplication.SigningToken], c[0])), Is.Empty);

        using var response = await Client.GetAsync(candidates[2][0]);
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync())?.Width, Is.EqualTo(135));
    }

    [Test]
    public void Srcset_with_w_lists_densities_and_formats_become_picture_sources()
    {
        var (_, dpr, _) = Run(SrcsetCommand.Name, "/samples/pic.png", "w=50", "--dprs", "1,2");
        Assert.That(dpr, Is.EqualTo("/samples/pic.png?w=50&dpr=1&q=75 1x,\n/samples/pic.png?w=50&dpr=2&q=50 2x"));

        var (code, sources, _) = Run(SrcsetCommand.Name, "/samples/pic.png", "--widths", "64,128", "--formats", "avif,webp");
        Assert.That(code, Is.Zero);
        Assert.That(sources.Split('\n'), Is.EqualTo(new[]
        {
            "<source type=\"image/avif\" srcset=\"/samples/pic.png?fm=avif&amp;w=64 64w,\n/samples/pic.png?fm=avif&amp;w=128 128w\">".Split('\n')[0],
            "/samples/pic.png?fm=avif&amp;w=128 128w\">",
            "<source type=\"image/webp\" srcset=\"/samples/pic.png?fm=webp&amp;w=64 64w,",
            "/samples/pic.png?fm=webp&amp;w=128 128w\">",
        }));
    }

    [TestCase("--token", "x", "/a.jpg")]
    [TestCase("--max-width", "abc", "/a.jpg")]
    [TestCase("--min-width", "500", "--max-width", "100", "/a.jpg")]
    [TestCase("--token-env", "NOT_SET", "/a.jpg")]
    [TestCase("--dprs", "9", "/a.jpg", "w=1")]
    public void Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var (code, output, error) = Run(SrcsetCommand.Name, args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith("imageproxy srcset: "));
    }
}
