using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>mark* and blend* (issue 12): every alias and NAME64 form, the plan each value gives, bad values and canonical text.</summary>
public class OverlayParameterTests
{
    private static readonly TransformPlan D = TransformPlan.Default;
    private static readonly ImageReference Logo = new(ImageReferenceKind.SourcePath, "logo.png");
    private static readonly WatermarkSpec Mark = WatermarkSpec.None with { Image = Logo };
    private static readonly BlendSpec Texture = BlendSpec.None with { Image = new ImageReference(ImageReferenceKind.SourcePath, "tex.png") };

    private static TransformPlan M(Func<WatermarkSpec, WatermarkSpec> set) => D with { Watermark = set(Mark) };

    private static TransformPlan B(Func<BlendSpec, BlendSpec> set) => D with { Blend = set(Texture) };

    /// <summary>Each parameter under every name it has (imgix-reference §2), with the plan it gives next to mark/blend.</summary>
    private static IEnumerable<TestCaseData> Names()
    {
        static TestCaseData Row(string query, TransformPlan plan) => new TestCaseData(query, plan).SetName(query);
        foreach (var name in new[] { "mark", "m" })
            yield return Row($"{name}=/logo.png", M(m => m));
        foreach (var name in new[] { "mark-base", "mb", "markbase" })
            yield return Row($"mark=logo.png&{name}=https://cdn.example.com/wm/", M(m => m with { Base = new ImageReference(ImageReferenceKind.Url, "https://cdn.example.com/wm/") }));
        foreach (var name in new[] { "mark-fit", "mf", "markfit" })
            yield return Row($"mark=/logo.png&{name}=crop", M(m => m with { Fit = OverlayFit.Crop }));
        foreach (var name in new[] { "mark-w", "mw", "markw" })
            yield return Row($"mark=/logo.png&{name}=0.25", M(m => m with { Width = SizeValue.Fraction(0.25) }));
        foreach (var name in new[] { "mark-h", "mh", "markh" })
            yield return Row($"mark=/logo.png&{name}=40", M(m => m with { Height = SizeValue.Pixels(40) }));
        foreach (var name in new[] { "mark-scale", "ms", "markscale" })
            yield return Row($"mark=/logo.png&{name}=30", M(m => m with { Scale = 30 }));
        foreach (var name in new[] { "mark-align", "ma", "markalign" })
            yield return Row($"mark=/logo.png&{name}=top,left", M(m => m with { Horizontal = HorizontalAnchor.Left, Vertical = VerticalAnchor.Top }));
        foreach (var name in new[] { "mark-pad", "mp", "markpad" })
            yield return Row($"mark=/logo.png&{name}=0", M(m => m with { Pad = 0 }));
        foreach (var name in new[] { "mark-x", "mx", "markx" })
            yield return Row($"mark=/logo.png&{name}=12", M(m => m with { X = 12 }));
        foreach (var name in new[] { "mark-y", "my", "marky" })
            yield return Row($"mark=/logo.png&{name}=7", M(m => m with { Y = 7 }));
        foreach (var name in new[] { "mark-alpha", "markalpha", "malph" })
            yield return Row($"mark=/logo.png&{name}=40", M(m => m with { Alpha = 40 }));
        yield return Row("mark=/logo.png&mark-rot=45.5", M(m => m with { Rotation = 45.5 }));
        foreach (var name in new[] { "mark-tile", "mtile", "marktile" })
            yield return Row($"mark=/logo.png&{name}=grid", M(m => m with { Tile = true }));
        yield return Row("mark=/logo.png&mark-if-min-width=300", M(m => m with { IfMinWidth = 300 }));
        yield return Row("mark=/logo.png&mark-if-min-height=200", M(m => m with { IfMinHeight = 200 }));

        foreach (var name in new[] { "blend", "b" })
            yield return Row($"{name}=/tex.png", B(b => b));
        yield return Row("blend=ff0000", D with { Blend = BlendSpec.None with { Color = new Rgba(255, 0, 0, 255) } });
        yield return Row("blend=80ff0000", D with { Blend = BlendSpec.None with { Color = new Rgba(255, 0, 0, 0x80) } });
        yield return Row("blend=https://cdn.example.com/t.png", D with { Blend = BlendSpec.None with { Image = new ImageReference(ImageReferenceKind.Url, "https://cdn.example.com/t.png") } });
        foreach (var name in new[] { "blend-color", "blendcolor", "blend-clr", "blendclr" })
            yield return Row($"{name}=blue", D with { Blend = BlendSpec.None with { Color = new Rgba(0, 0, 255, 255) } });
        foreach (var name in new[] { "blend-mode", "blendmode", "bm" })
            yield return Row($"blend=/tex.png&{name}=multiply", B(b => b with { Mode = BlendMode.Multiply }));
        foreach (var name in new[] { "blend-alpha", "blendalpha", "balph" })
            yield return Row($"blend=/tex.png&{name}=50", B(b => b with { Alpha = 50 }));
        foreach (var name in new[] { "blend-align", "blendalign", "ba" })
            yield return Row($"blend=/tex.png&{name}=bottom,center", B(b => b with { Horizontal = HorizontalAnchor.Center, Vertical = VerticalAnchor.Bottom }));
        foreach (var name in new[] { "blend-fit", "blendfit", "bf" })
            yield return Row($"blend=/tex.png&{name}=clamp", B(b => b with { Fit = OverlayFit.Clamp }));
        foreach (var name in new[] { "blend-w", "blendw", "bw" })
            yield return Row($"blend=/tex.png&{name}=100", B(b => b with { Width = SizeValue.Pixels(100) }));
        foreach (var name in new[] { "blend-h", "blendh", "bh" })
            yield return Row($"blend=/tex.png&{name}=0.5", B(b => b with { Height = SizeValue.Fraction(0.5) }));
        foreach (var name in new[] { "blend-x", "blendx", "bx" })
            yield return Row($"blend=/tex.png&{name}=3", B(b => b with { X = 3 }));
        foreach (var name in new[] { "blend-y", "blendy", "by" })
            yield return Row($"blend=/tex.png&{name}=4", B(b => b with { Y = 4 }));
        foreach (var name in new[] { "blend-pad", "blendpad", "bp" })
            yield return Row($"blend=/tex.png&{name}=6", B(b => b with { Pad = 6 }));
        foreach (var name in new[] { "blend-crop", "blendcrop", "bc" })
            yield return Row($"blend=/tex.png&{name}=top,right", B(b => b with { CropHorizontal = 1, CropVertical = -1 }));
        foreach (var name in new[] { "blend-size", "blendsize", "bs" })
            yield return Row($"blend=/tex.png&{name}=inherit", B(b => b with { Inherit = true }));
        foreach (var mode in Enum.GetValues<BlendMode>())
            yield return Row($"blend=red&bm={mode.ToString().ToLowerInvariant()}", D with { Blend = BlendSpec.None with { Color = new Rgba(255, 0, 0, 255), Mode = mode } });
        // NAME64: imgix recommends the base64 form for mark and blend.
        yield return Row("mark64=L2xvZ28ucG5n&mark-alpha64=NDA", M(m => m with { Alpha = 40 }));
        yield return Row("blend64=L3RleC5wbmc&bm64=c2NyZWVu", B(b => b with { Mode = BlendMode.Screen }));
    }

    [TestCaseSource(nameof(Names))]
    public void Names_aliases_and_base64_forms(string query, TransformPlan expected)
    {
        var plan = Query.Plan(query);
        Assert.That(plan, Is.EqualTo(expected));
        Assert.That(Query.Plan(CacheKey.Canonical(plan)), Is.EqualTo(plan), "canonical text reads back");
    }

    [TestCase("mark-alpha=50&mark-align=top&mark-w=10", "")]
    [TestCase("blend-mode=multiply&blend-w=20", "")]
    [TestCase("blend=red&blend-w=20&blend-fit=crop", "blend-color=ffff0000")]
    [TestCase("mark=/logo.png&mark-align=bottom,right&mark-pad=5&mark-alpha=100&mark-fit=clip", "mark=%2Flogo.png")]
    [TestCase("m=/logo.png&ma=left,top&malph=60", "mark=%2Flogo.png&mark-align=top,left&mark-alpha=60")]
    [TestCase("blend=/tex.png&blend-color=blue&bm=overlay", "blend=%2Ftex.png")]
    [TestCase("blend=red&blend-color=blue", "blend-color=ff0000ff")]
    public void Companions_are_kept_only_with_their_overlay_and_defaults_are_left_out(string query, string canonical)
    {
        Assert.That(CacheKey.Canonical(Query.Plan(query)), Is.EqualTo(canonical));
    }

    [Test]
    public void Mark_base_resolves_a_relative_mark_and_leaves_a_url_alone()
    {
        Assert.That(Query.Plan("mark=logo.png&mark-base=https://cdn.example.com/wm/").Watermark.Effective,
            Is.EqualTo(new ImageReference(ImageReferenceKind.Url, "https://cdn.example.com/wm/logo.png")));
        Assert.That(Query.Plan("mark=logo.png&mark-base=/brand").Watermark.Effective,
            Is.EqualTo(new ImageReference(ImageReferenceKind.SourcePath, "brand/logo.png")));
        Assert.That(Query.Plan("mark=https://a.example/x.png&mark-base=/brand").Watermark.Effective!.Location, Is.EqualTo("https://a.example/x.png"));
    }

    [Test]
    public void The_plan_lists_the_images_to_fetch_by_parameter()
    {
        var plan = Query.Plan("mask=/m.png&mark=/logo.png&blend=/tex.png");
        Assert.That(plan.OverlayImages().Select(o => o.Parameter), Is.EqualTo(new[] { "mask", "mark", "blend" }));
        Assert.That(Query.Plan("blend=red&mask=ellipse").OverlayImages(), Is.Empty, "a colour blend and a shape mask fetch nothing");
    }

    [TestCase("mark=", "mark")]
    [TestCase("mark=ftp://example.com/m.png", "mark")]
    [TestCase("m=https://user:pw@example.com/m.png", "m")]
    [TestCase("mark=/logo.png&mark-base=gopher://x", "mark-base")]
    [TestCase("mark=/logo.png&mark-fit=clamp", "mark-fit")]
    [TestCase("mark=/logo.png&mf=fillmax", "mf")]
    [TestCase("mark=/logo.png&mark-w=0", "mark-w")]
    [TestCase("mark=/logo.png&mw=8193", "mw")]
    [TestCase("mark=/logo.png&mark-h=1.5", "mark-h")]
    [TestCase("mark=/logo.png&mark-scale=101", "mark-scale")]
    [TestCase("mark=/logo.png&ms=-1", "ms")]
    [TestCase("mark=/logo.png&mark-align=top,inside", "mark-align")]
    [TestCase("mark=/logo.png&mark-pad=-1", "mark-pad")]
    [TestCase("mark=/logo.png&mark-x=-5", "mark-x")]
    [TestCase("mark=/logo.png&mark-y=1.5", "mark-y")]
    [TestCase("mark=/logo.png&mark-alpha=101", "mark-alpha")]
    [TestCase("mark=/logo.png&malph=x", "malph")]
    [TestCase("mark=/logo.png&mark-rot=360", "mark-rot")]
    [TestCase("mark=/logo.png&mark-rot=-1", "mark-rot")]
    [TestCase("mark=/logo.png&mark-tile=random", "mark-tile")]
    [TestCase("mark=/logo.png&mark-if-min-width=-1", "mark-if-min-width")]
    [TestCase("mark=/logo.png&mark-if-min-height=x", "mark-if-min-height")]
    [TestCase("mark-alpha=101", "mark-alpha")]
    [TestCase("blend=", "blend")]
    [TestCase("blend=ftp://example.com/t.png", "blend")]
    [TestCase("blend-color=notacolour", "blend-color")]
    [TestCase("blend=red&blend-mode=add", "blend-mode")]
    [TestCase("blend=red&bm=", "bm")]
    [TestCase("blend=red&blend-alpha=101", "blend-alpha")]
    [TestCase("blend=/t.png&blend-align=up", "blend-align")]
    [TestCase("blend=/t.png&blend-fit=fill", "blend-fit")]
    [TestCase("blend=/t.png&blend-w=-3", "blend-w")]
    [TestCase("blend=/t.png&bh=9000", "bh")]
    [TestCase("blend=/t.png&blend-x=-1", "blend-x")]
    [TestCase("blend=/t.png&by=y", "by")]
    [TestCase("blend=/t.png&blend-pad=-2", "blend-pad")]
    [TestCase("blend=/t.png&blend-crop=middle", "blend-crop")]
    [TestCase("blend=/t.png&blend-size=cover", "blend-size")]
    [TestCase("mark64=%%%", "mark64")]
    public void Bad_values_are_a_400_naming_the_parameter(string query, string name)
    {
        var error = Query.Error(query);
        Assert.That(error.Status, Is.EqualTo(400));
        Assert.That(error.Message, Does.Contain($"'{name}'"));
    }
}
