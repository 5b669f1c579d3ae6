using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>docs/web.md, imgix: Formats.</summary>
public class FormatChoiceTests
{
    private const string Chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    private const string WebPOnly = "image/webp,*/*";
    private const string Legacy = "image/*,*/*;q=0.8";
    private static bool All(ImageFormat format) => true;
    private static bool NoAvifNoJxl(ImageFormat format) => format is not (ImageFormat.Avif or ImageFormat.Jxl);

    [TestCase("auto=format", Chrome, ImageFormat.Avif, true)]
    [TestCase("auto=format", WebPOnly, ImageFormat.WebP, true)]
    [TestCase("auto=format", "image/avif;q=0, image/webp", ImageFormat.WebP, true)]
    [TestCase("auto=format", "IMAGE/AVIF; q=0.5", ImageFormat.Avif, true)]
    [TestCase("auto=format", Legacy, null, true)]
    [TestCase("auto=format", null, null, true)]
    [TestCase("auto=format&fm=png", Legacy, ImageFormat.Png, true)]
    [TestCase("auto=format&fm=png", Chrome, ImageFormat.Avif, true)]
    [TestCase("fm=webp", Chrome, ImageFormat.WebP, false)]
    [TestCase("", Chrome, null, false)]
    [TestCase("w=10", null, null, false)]
    public void Choose(string query, string? accept, ImageFormat? format, bool acceptMattered)
    {
        var decision = FormatChoice.Choose(Query.Plan(query), accept, All).Value!;
        Assert.That((decision.Format, decision.AcceptMattered), Is.EqualTo((format, acceptMattered)));
    }

    [Test]
    public void NegotiationSkipsFormatsTheBuildCannotWrite()
    {
        var decision = FormatChoice.Choose(Query.Plan("auto=format"), Chrome, NoAvifNoJxl).Value!;
        Assert.That(decision.Format, Is.EqualTo(ImageFormat.WebP));
    }

    [Test]
    public void ExplicitUnwritableFormatIs400()
    {
        var error = FormatChoice.Choose(Query.Plan("fm=jxl"), Chrome, NoAvifNoJxl).Error;
        Assert.That((error?.Status, error?.Message), Is.EqualTo(((int?)400, (string?)"fm=jxl is not supported by this server's libvips build")));
    }

    [Test]
    public void CompressAloneSettlesOnPngOrJpegByAlpha()
    {
        var decision = FormatChoice.Choose(Query.Plan("auto=compress"), Chrome, All).Value!;
        Assert.That(decision, Is.EqualTo(new FormatDecision(null, false, CompressAuto: true)));
        Assert.That(FormatChoice.Resolve(decision, Facts(ImageFormat.WebP, alpha: true), All), Is.EqualTo(ImageFormat.Png));
        Assert.That(FormatChoice.Resolve(decision, Facts(ImageFormat.Png, alpha: false), All), Is.EqualTo(ImageFormat.Jpeg));
    }

    [Test]
    public void CompressOverridesFmForStillImagesOnly()
    {
        var decision = FormatChoice.Choose(Query.Plan("auto=compress&fm=webp"), null, All).Value!;
        Assert.That(FormatChoice.Resolve(decision, Facts(ImageFormat.Jpeg, alpha: false), All), Is.EqualTo(ImageFormat.Jpeg));
        var animated = new SourceFacts(10, 10, 1, 5, ImageFormat.Gif, true);
        Assert.That(FormatChoice.Resolve(decision, animated, All), Is.EqualTo(ImageFormat.WebP));
    }

    [Test]
    public void CompressWithFormatNegotiatesFirstThenFallsBack()
    {
        var plan = Query.Plan("auto=format,compress");
        Assert.That(FormatChoice.Choose(plan, WebPOnly, All).Value!.Format, Is.EqualTo(ImageFormat.WebP));
        var fallback = FormatChoice.Choose(plan, Legacy, All).Value!;
        Assert.That(fallback, Is.EqualTo(new FormatDecision(null, true, CompressAuto: true, AnimatedFormat: ImageFormat.Gif)));
        Assert.That(FormatChoice.Resolve(fallback, Facts(ImageFormat.Png, alpha: true), All), Is.EqualTo(ImageFormat.Png));
        Assert.That(FormatChoice.Resolve(fallback, Facts(ImageFormat.Png, alpha: false), All), Is.EqualTo(ImageFormat.Jpeg));
    }

    [TestCase(ImageFormat.Jpeg, false, ImageFormat.Jpeg)]
    [TestCase(ImageFormat.Png, true, ImageFormat.Png)]
    [TestCase(ImageFormat.WebP, true, ImageFormat.WebP)]
    [TestCase(ImageFormat.Gif, true, ImageFormat.Gif)]
    [TestCase(ImageFormat.Avif, false, ImageFormat.Jpeg)]
    [TestCase(ImageFormat.Jxl, true, ImageFormat.Png)]
    [TestCase(ImageFormat.Tiff, false, ImageFormat.Jpeg)]
    [TestCase(ImageFormat.Svg, true, ImageFormat.Png)]
    [TestCase(ImageFormat.Heif, false, ImageFormat.Jpeg)]
    [TestCase(ImageFormat.Pdf, true, ImageFormat.Png)]
    public void SameAsSource(ImageFormat source, bool alpha, ImageFormat expected)
    {
        var decision = new FormatDecision(null, false);
        Assert.That(FormatChoice.Resolve(decision, Facts(source, alpha), NoAvifNoJxl), Is.EqualTo(expected));
    }

    [TestCase("", ImageFormat.Jpeg, 75)]
    [TestCase("auto=compress", ImageFormat.Jpeg, 45)]
    [TestCase("auto=compress&q=90", ImageFormat.WebP, 90)]
    [TestCase("q=30", ImageFormat.Avif, 30)]
    public void EffectiveQuality(string query, ImageFormat format, int quality)
    {
        Assert.That(FormatChoice.EffectiveQuality(Query.Plan(query), format), Is.EqualTo(quality));
    }

    [TestCase(null, 0)]
    [TestCase(Legacy, 0)]
    [TestCase(WebPOnly, FormatChoice.AcceptsWebP)]
    [TestCase(Chrome, FormatChoice.AcceptsAvif | FormatChoice.AcceptsWebP)]
    [TestCase("image/avif;q=0, image/webp", FormatChoice.AcceptsWebP)]
    [TestCase("IMAGE/AVIF; q=0.5", FormatChoice.AcceptsAvif)]
    public void AcceptClassIsWhatNegotiationReadsFromTheHeader(string? accept, int expected)
    {
        Assert.That(FormatChoice.AcceptClass(accept), Is.EqualTo(expected));
    }

    [Test]
    public void HeadersOfOneAcceptClassGetTheSameFormat()
    {
        string?[] headers = [null, Legacy, WebPOnly, Chrome, "image/avif;q=0, image/webp", "IMAGE/AVIF; q=0.5", "image/webp;q=0", "image/avif"];
        foreach (var query in new[] { "auto=format", "auto=format&fm=png", "auto=format,compress" })
        {
            foreach (var group in headers.GroupBy(FormatChoice.AcceptClass))
            {
                var formats = group.Select(accept => FormatChoice.Choose(Query.Plan(query), accept, NoAvifNoJxl).Value!).Distinct().ToArray();
                Assert.That(formats, Has.Length.EqualTo(1), $"{query}, class {group.Key}");
            }
        }
    }

    private static SourceFacts Facts(ImageFormat format, bool alpha) => new(100, 100, 1, 1, format, alpha);
}
