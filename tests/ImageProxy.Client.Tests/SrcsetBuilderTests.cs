using NUnit.Framework;

namespace ImageProxy.Client.Tests;

[TestFixture]
public sealed class SrcsetBuilderTests
{
    public static IEnumerable<TestCaseData> SrcsetCases()
    {
        using var doc = JsCoreVectors.Load();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "srcset"))
        {
            var input = c.GetProperty("input");
            yield return new TestCaseData(c.GetProperty("token").GetString()!, input.GetProperty("path").GetString()!,
                    JsCoreVectors.Parameters(c), JsCoreVectors.SrcsetOptions(input.GetProperty("options")), c.GetProperty("srcset").GetString()!)
                .SetName($"js-core buildSrcSet: {c.GetProperty("name").GetString()}");
        }
    }

    [TestCaseSource(nameof(SrcsetCases))]
    public void Builds_the_srcset_js_core_built(string token, string path, ImageParameters parameters, SrcsetOptions options, string expected)
    {
        var builder = new SrcsetBuilder(new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = JsCoreVectors.Domain, SecureToken = token }));
        Assert.That(builder.Build(path, parameters, options), Is.EqualTo(expected));
    }

    [Test]
    public void Both_srcset_forms_are_covered_by_the_vectors()
    {
        var cases = SrcsetCases().ToList();
        Assert.That(cases.Count(c => SrcsetBuilder.IsFixedSize((ImageParameters)c.Arguments[2]!)), Is.GreaterThanOrEqualTo(3));
        Assert.That(cases.Count(c => !SrcsetBuilder.IsFixedSize((ImageParameters)c.Arguments[2]!)), Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void Default_widths_are_imgix_31_widths()
    {
        Assert.That(SrcsetBuilder.DefaultWidths, Is.EqualTo(new[]
        {
            100, 116, 135, 156, 181, 210, 244, 283, 328, 380, 441, 512, 594, 689, 799, 927, 1075, 1247, 1446, 1678, 1946,
            2257, 2619, 3038, 3524, 4087, 4741, 5500, 6380, 7401, 8192,
        }));
    }

    [Test]
    public void Tolerance_and_bounds_follow_the_reference_examples()
    {
        Assert.That(SrcsetBuilder.TargetWidths(100, 400, 0.08), Is.EqualTo(new[] { 100, 116, 135, 156, 181, 210, 244, 283, 328, 380, 400 }));
        Assert.That(SrcsetBuilder.TargetWidths(100, 8192, 0.10).Take(5), Is.EqualTo(new[] { 100, 120, 144, 173, 207 }));
        Assert.That(SrcsetBuilder.TargetWidths(500, 500, 0.08), Is.EqualTo(new[] { 500 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrcsetBuilder.TargetWidths(100, 400, 0.001));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrcsetBuilder.TargetWidths(400, 100, 0.08));
    }

    [Test]
    public void Fixed_size_srcset_has_ratios_one_to_five_with_falling_quality_unless_q_is_given()
    {
        var builder = new SrcsetBuilder(new ImageUrlBuilder(new ImageUrlOptions()));
        Assert.That(builder.Build("/a.jpg", ImageParameters.Parse("w=100")).Split(",\n"), Is.EqualTo(new[]
        {
            "/a.jpg?w=100&dpr=1&q=75 1x", "/a.jpg?w=100&dpr=2&q=50 2x", "/a.jpg?w=100&dpr=3&q=35 3x",
            "/a.jpg?w=100&dpr=4&q=23 4x", "/a.jpg?w=100&dpr=5&q=20 5x",
        }));
        Assert.That(builder.Build("/a.jpg", ImageParameters.Parse("q=60&h=80"), new SrcsetOptions { DevicePixelRatios = [1, 2] }),
            Is.EqualTo("/a.jpg?q=60&h=80&dpr=1 1x,\n/a.jpg?q=60&h=80&dpr=2 2x"));
    }

    [Test]
    public void Picture_sources_carry_one_srcset_per_format_with_its_media_type()
    {
        var builder = new SrcsetBuilder(new ImageUrlBuilder(new ImageUrlOptions()));
        var sources = builder.PictureSources("/a.jpg", ImageParameters.Parse("fit=crop"), ["avif", "webp"],
            new SrcsetOptions { Widths = [320, 640] });
        Assert.That(sources, Is.EqualTo(new[]
        {
            new PictureSource("image/avif", "/a.jpg?fit=crop&fm=avif&w=320 320w,\n/a.jpg?fit=crop&fm=avif&w=640 640w"),
            new PictureSource("image/webp", "/a.jpg?fit=crop&fm=webp&w=320 320w,\n/a.jpg?fit=crop&fm=webp&w=640 640w"),
        }));
    }
}
