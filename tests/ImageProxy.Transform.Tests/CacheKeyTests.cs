using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

public class CacheKeyTests
{
    [TestCase("", "")]
    [TestCase("h=300&w=400&fm=webp&fit=crop", "w=400&h=300&fit=crop&fm=webp")]
    [TestCase("width=0.5&dpr=1&fit=clip&lossless=false", "w=0.5")]
    [TestCase("w=1", "w=1.0")]
    [TestCase("auto=compress&auto=format&auto=enhance", "auto=format,compress,enhance")]
    [TestCase("auto=compress,redeye", "auto=compress")]
    [TestCase("fm=pjpg&q=80", "fm=pjpg&q=80")]
    [TestCase("pad=5&pad-left=6", "pad-top=5&pad-right=5&pad-bottom=5&pad-left=6")]
    [TestCase("pad-top=5&pad-right=5&pad-bottom=5&pad-left=5", "pad=5")]
    [TestCase("bg=f00&rot=-90&or=90", "bg=ffff0000&rot=270&orient=6")]
    [TestCase("rect=center,middle,0.5,full&ar=16:9", "ar=1.7777777777777777:1&rect=center,middle,0.5,full")]
    [TestCase("dl=a%20b%26c%2B%E2%82%AC", "dl=a%20b%26c%2B%E2%82%AC")]
    [TestCase("crop=left,top,focalpoint&fp-z=2", "crop=top,left,focalpoint&fp-z=2")]
    [TestCase("fp-x=0.00001", "fp-x=0.00001")]
    public void CanonicalText(string query, string canonical)
    {
        var plan = Query.Plan(query);
        Assert.That(CacheKey.Canonical(plan), Is.EqualTo(canonical));
        Assert.That(Query.Plan(CacheKey.Canonical(plan)), Is.EqualTo(plan), "round trip");
    }

    private const string Policy = "side=8192;pixels=50000000";

    private static string Key(string query, string source = "s", string key = "a.jpg", string? validator = "\"etag\"", ImageFormat? format = ImageFormat.WebP, string policy = Policy)
        => CacheKey.Compute(source, key, validator, Query.Plan(query), format, policy);

    [TestCase("w=400&h=300&fit=crop", "fit=crop&h=300&w=400", TestName = "order")]
    [TestCase("w=400&h=300", "width=400&height=300", TestName = "aliases")]
    [TestCase("w=400&fm=png", "w64=NDAw&fm64=cG5n", TestName = "base64 forms")]
    [TestCase("w=400", "w=400&ixlib=js-3.8.0&cb=7&upscale=hi&s=0123456789abcdef0123456789abcdef", TestName = "junk and signature")]
    [TestCase("w=400&q=75", "w=100&w=400&q=75", TestName = "repeats")]
    public void InsensitiveTo(string a, string b)
    {
        Assert.That(Key(a), Is.EqualTo(Key(b)));
    }

    [Test]
    public void SensitiveToEverythingThatChangesTheBytes()
    {
        var baseline = Key("w=400");
        Assert.Multiple(() =>
        {
            Assert.That(Key("w=401"), Is.Not.EqualTo(baseline), "plan");
            Assert.That(Key("w=400", format: ImageFormat.Avif), Is.Not.EqualTo(baseline), "format");
            Assert.That(Key("w=400", format: null), Is.Not.EqualTo(baseline), "same-as-source");
            Assert.That(Key("w=400", source: "t"), Is.Not.EqualTo(baseline), "source");
            Assert.That(Key("w=400", key: "b.jpg"), Is.Not.EqualTo(baseline), "key");
            Assert.That(Key("w=400", validator: "\"etag2\""), Is.Not.EqualTo(baseline), "validator");
            Assert.That(Key("w=400", validator: null), Is.Not.EqualTo(baseline), "no validator");
            Assert.That(Key("w=400", policy: "side=4096;pixels=50000000"), Is.Not.EqualTo(baseline), "render policy");
        });
    }

    [Test]
    public void OutputPolicyNamesOnlyTheLimitsThatShapeAnOutput()
    {
        var limits = Limits.Default;
        Assert.Multiple(() =>
        {
            Assert.That(limits.OutputPolicy, Is.EqualTo(Policy));
            Assert.That((limits with { MaxOutputSide = 4096 }).OutputPolicy, Is.Not.EqualTo(Policy), "output side");
            Assert.That((limits with { MaxOutputPixels = 1_000_000 }).OutputPolicy, Is.Not.EqualTo(Policy), "output pixels");
            Assert.That((limits with { MaxSourceBytes = 1, MaxSourcePixels = 1, MaxSourceFrames = 1, MaxDpr = 2 }).OutputPolicy,
                Is.EqualTo(Policy), "limits that only refuse requests keep cached results");
        });
    }

    [Test]
    public void IsLowercaseHexSha256OfTheDocumentedText()
    {
        var plan = Query.Plan("w=400");
        var text = $"v{CacheKey.Version}\ns\na.jpg\nW/\"1\"\nw=400\nwebp\n{Policy}";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.That(CacheKey.Compute("s", "a.jpg", "W/\"1\"", plan, ImageFormat.WebP, Policy), Is.EqualTo(expected));
        Assert.That(expected, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public void VersionIsPartOfTheKey()
    {
        // Guard: the version line is the first thing hashed; a different version gives a different key.
        var plan = Query.Plan("w=400");
        var otherVersion = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"v{CacheKey.Version + 1}\ns\na.jpg\n\nw=400\nsource\n{Policy}")));
        Assert.That(CacheKey.Compute("s", "a.jpg", null, plan, null, Policy), Is.Not.EqualTo(otherVersion));
    }

    [Test]
    public void FieldsCannotBleedIntoEachOther()
    {
        var plan = TransformPlan.Default;
        Assert.That(CacheKey.Compute("s", "a\nb", null, plan, null, Policy), Is.Not.EqualTo(CacheKey.Compute("s", "a", "b", plan, null, Policy)));
        Assert.That(CacheKey.Compute("s", "a", null, plan, null, "p\nq"), Is.Not.EqualTo(CacheKey.Compute("s", "a", null, plan, null, "p\\nq")));
    }
}
