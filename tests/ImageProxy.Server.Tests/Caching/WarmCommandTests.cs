using ImageProxy.Server.Caching;

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

        var options = new WarmOptions("http://proxy", null, sitemap, [320, 640], ["webp"], null, 4, null);

        Assert.That(WarmCommand.ExpandTargets(options), Is.EqualTo(new[]
        {
            "/products/shoe.jpg?w=320&fm=webp", "/products/shoe.jpg?w=640&fm=webp",
            "/products/boot.jpg?fit=crop&h=100&w=320&fm=webp", "/products/boot.jpg?fit=crop&h=100&w=640&fm=webp",
        }));
    }

    [TestCase(new[] { "--urls", "/etc/hostname" }, "Option '--base' is required.")]
    [TestCase(new[] { "--base", "proxy:8080", "--urls", "/etc/hostname" }, "--base must be an absolute http(s) URL")]
    [TestCase(new[] { "--base", "http://p" }, "give exactly one of --urls and --paths")]
    [TestCase(new[] { "--base", "http://p", "--paths", "/etc/hostname" }, "--paths needs --widths with positive numbers")]
    [TestCase(new[] { "--base", "http://p", "--urls", "/nonexistent-file" }, "no such file: /nonexistent-file")]
    [TestCase(new[] { "--base", "http://p", "--urls", "/etc/hostname", "--concurrency", "0" }, "--concurrency must be a number from 1 to 256")]
    [TestCase(new[] { "--base", "http://p", "--urls", "/etc/hostname", "--concurency", "2" }, "'--concurency'")]
    public async Task BadArgumentsAreExplained(string[] args, string expected)
    {
        var run = await TestCli.RunAsync(["warm", .. args]);

        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Err, Does.Contain(expected).And.Contain("See 'imageproxy warm --help'."));
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
