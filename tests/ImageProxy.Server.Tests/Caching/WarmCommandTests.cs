using ImageProxy.Server.Caching;
using ImageProxy.Server.Tests.Caching.Support;

namespace ImageProxy.Server.Tests.Caching;

public sealed class WarmCommandTests
{
    [Test]
    public void ASitemapExpandsToPathsTimesWidthsTimesFormats()
    {
        using var dir = new TempDirectory();
        var sitemap = Path.Combine(dir.Path, "sitemap.xml");
        File.WriteAllText(sitemap, """
            <urlset><url><loc>https://shop.example/products/shoe.jpg</loc></url>
            <url><loc> https://shop.example/products/boot.jpg?fit=crop&amp;h=100 </loc></url></urlset>
            """);

        var options = WarmCommand.ParseOptions(["--base", "http://proxy", "--paths", sitemap, "--widths", "320,640", "--formats", "webp"], out _)!;

        Assert.That(WarmCommand.ExpandTargets(options), Is.EqualTo(new[]
        {
            "/products/shoe.jpg?w=320&fm=webp", "/products/shoe.jpg?w=640&fm=webp",
            "/products/boot.jpg?fit=crop&h=100&w=320&fm=webp", "/products/boot.jpg?fit=crop&h=100&w=640&fm=webp",
        }));
    }

    [TestCase(new[] { "--paths", "x" }, "--base must be an absolute URL")]
    [TestCase(new[] { "--base", "http://p" }, "give exactly one of --urls and --paths")]
    [TestCase(new[] { "--base", "http://p", "--urls", "/nonexistent-file" }, "no such file: /nonexistent-file")]
    [TestCase(new[] { "--base", "http://p", "--urls", "/etc/hostname", "--concurrency", "0" }, "--concurrency must be 1..256")]
    public void BadArgumentsAreExplained(string[] args, string expected)
    {
        Assert.That(WarmCommand.ParseOptions(args, out var error), Is.Null);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void TheProgressLineShowsRateAndEta()
    {
        var tally = new WarmTally();
        for (var i = 0; i < 10; i++)
        {
            tally.Record(i < 2 ? WarmOutcome.Hit : i < 9 ? WarmOutcome.Miss : WarmOutcome.Failure);
        }

        var line = WarmCommand.ProgressLine(tally, 40, TimeSpan.FromSeconds(5));

        Assert.That(line, Is.EqualTo("[########----------------------] 10/40  2.0/s  ETA 15s  hits 2 misses 7 failures 1"));
    }
}
