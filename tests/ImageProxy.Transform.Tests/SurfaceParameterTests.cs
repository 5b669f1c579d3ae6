using System.Text;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>The issue-11 parameters: every alias and NAME64 form, the plan each value gives, bad values, canonical text and the unsupported-parameter switch.</summary>
public class SurfaceParameterTests
{
    private static readonly TransformPlan D = TransformPlan.Default;

    /// <summary>One valid, non-default value per issue-11 parameter and the plan it gives on its own.</summary>
    private static readonly (string Name, string Value, TransformPlan Plan)[] Samples =
    [
        ("bri", "-40", D with { Adjust = Adjustments.None with { Brightness = -40 } }),
        ("con", "25", D with { Adjust = Adjustments.None with { Contrast = 25 } }),
        ("exp", "+50", D with { Adjust = Adjustments.None with { Exposure = 50 } }),
        ("gam", "-100", D with { Adjust = Adjustments.None with { Gamma = -100 } }),
        ("high", "-30", D with { Adjust = Adjustments.None with { Highlights = -30 } }),
        ("shad", "12.5", D with { Adjust = Adjustments.None with { Shadows = 12.5 } }),
        ("sat", "-100", D with { Adjust = Adjustments.None with { Saturation = -100 } }),
        ("vib", "60", D with { Adjust = Adjustments.None with { Vibrance = 60 } }),
        ("hue", "-90", D with { Adjust = Adjustments.None with { Hue = 270 } }),
        ("invert", "true", D with { Adjust = Adjustments.None with { Invert = true } }),
        ("usm", "20", D with { Adjust = Adjustments.None with { UnsharpMask = 20 } }),
        ("usmrad", "4", D with { Adjust = Adjustments.None with { UnsharpRadius = 4 } }),
        ("nr", "-20", D with { Adjust = Adjustments.None with { NoiseReduction = -20 } }),
        ("nrs", "40", D with { Adjust = Adjustments.None with { NoiseSharpen = 40 } }),
        ("monochrome", "8000ff00", D with { Style = Stylize.None with { Monochrome = new Rgba(0, 255, 0, 0x80) } }),
        ("sepia", "80", D with { Style = Stylize.None with { Sepia = 80 } }),
        ("duotone", "000080,orange", D with { Style = Stylize.None with { Duotone = new ColorPair(new Rgba(0, 0, 0x80, 255), new Rgba(255, 0xa5, 0, 255)) } }),
        ("duotone-alpha", "50", D with { Style = Stylize.None with { DuotoneAlpha = 50 } }),
        ("htn", "30", D with { Style = Stylize.None with { Halftone = 30 } }),
        ("px", "20", D with { Style = Stylize.None with { Pixelate = 20 } }),
        ("border", "10,f00", D with { Border = BorderSpec.None with { Width = new Padding(10, 10, 10, 10), Color = new Rgba(255, 0, 0, 255) } }),
        ("border-top", "4", D with { Border = BorderSpec.None with { Width = new Padding(4, 0, 0, 0) } }),
        ("border-right", "4", D with { Border = BorderSpec.None with { Width = new Padding(0, 4, 0, 0) } }),
        ("border-bottom", "4", D with { Border = BorderSpec.None with { Width = new Padding(0, 0, 4, 0) } }),
        ("border-left", "4", D with { Border = BorderSpec.None with { Width = new Padding(0, 0, 0, 4) } }),
        ("border-radius", "1,2,3,4", D with { Border = BorderSpec.None with { OuterRadius = new CornerRadii(1, 2, 3, 4) } }),
        ("border-radius-inner", "8", D with { Border = BorderSpec.None with { InnerRadius = CornerRadii.All(8) } }),
        ("border-stroke-color", "blue", D with { Border = BorderSpec.None with { StrokeColor = new Rgba(0, 0, 255, 255) } }),
        ("border-stroke-size", "3", D with { Border = BorderSpec.None with { StrokeSize = 3 } }),
        ("mask", "ellipse", D with { Mask = MaskSpec.None with { Kind = MaskKind.Ellipse } }),
        ("corner-radius", "20", D with { Mask = MaskSpec.None with { CornerRadius = CornerRadii.All(20) } }),
        ("mask-bg", "fff", D with { Mask = MaskSpec.None with { Background = Rgba.White } }),
        ("trim", "colorunlessalpha", D with { Trim = TrimSpec.None with { Mode = TrimMode.ColorUnlessAlpha } }),
        ("trim-color", "0fff", D with { Trim = TrimSpec.None with { Color = Rgba.TransparentWhite } }),
        ("trim-md", "20", D with { Trim = TrimSpec.None with { MeanDifference = 20 } }),
        ("trim-sd", "0.5", D with { Trim = TrimSpec.None with { StandardDeviation = 0.5 } }),
        ("trim-tol", "30", D with { Trim = TrimSpec.None with { Tolerance = 30 } }),
        ("trim-alpha", "10", D with { Trim = TrimSpec.None with { Alpha = 10 } }),
        ("trim-pad", "-5", D with { Trim = TrimSpec.None with { Pad = -5 } }),
        ("fill-gradient-type", "radial", D with { Gradient = GradientSpec.Default with { Type = GradientType.Radial } }),
        ("fill-gradient-cs", "oklab", D with { Gradient = GradientSpec.Default with { ColorSpace = GradientColorSpace.Oklab } }),
        ("fill-gradient-linear", "red,blue", D with { Gradient = GradientSpec.Default with { Linear = new ColorPair(new Rgba(255, 0, 0, 255), new Rgba(0, 0, 255, 255)) } }),
        ("fill-gradient-linear-direction", "left", D with { Gradient = GradientSpec.Default with { From = Side.Right, To = Side.Left } }),
        ("fill-gradient-radial", "fff,000", D with { Gradient = GradientSpec.Default with { Radial = new ColorPair(Rgba.White, new Rgba(0, 0, 0, 255)) } }),
        ("fill-gradient-radial-radius", "10,0.75", D with { Gradient = GradientSpec.Default with { InnerRadius = SizeValue.Pixels(10), OuterRadius = SizeValue.Fraction(0.75) } }),
        ("fill-gradient-radial-x", "0.0", D with { Gradient = GradientSpec.Default with { CenterX = SizeValue.Fraction(0) } }),
        ("fill-gradient-radial-y", "300", D with { Gradient = GradientSpec.Default with { CenterY = SizeValue.Pixels(300) } }),
        ("fill-gen-fallback", "false", D),
        ("fill-gen-neg-prompt", "no people", D),
        ("fill-gen-pos", "top,left", D),
        ("fill-gen-prompt", "a beach", D),
        ("fill-gen-seed", "42", D),
        ("rot-type", "pivot", D with { RotationType = RotationType.Pivot }),
        ("fp-debug", "1", D with { FocalPointDebug = true }),
        ("jpg-progressive", "true", D with { Progressive = true }),
        ("chromasub", "444", D with { Encoding = EncodingOptions.Default with { ChromaSubsampling = 444 } }),
        ("colorquant", "16", D with { Encoding = EncodingOptions.Default with { ColorQuant = 16 } }),
        ("cs", "adobergb1998", D with { Encoding = EncodingOptions.Default with { ColorSpace = OutputColorSpace.AdobeRgb1998 } }),
        ("dpi", "300", D with { Encoding = EncodingOptions.Default with { Dpi = 300 } }),
        ("iptc", "allow", D with { Encoding = EncodingOptions.Default with { KeepIptc = true } }),
        ("svg-sanitize", "false", D),
    ];

    private static IEnumerable<TestCaseData> EverySpelling()
    {
        foreach (var (name, value, plan) in Samples)
        {
            var definition = Parameters.Find(name)!;
            foreach (var key in definition.Aliases.Prepend(name))
            {
                yield return new TestCaseData($"{key}={Uri.EscapeDataString(value)}", plan).SetName($"?{key}={value}");
                yield return new TestCaseData($"{key}64={Base64(value)}", plan).SetName($"?{key}64={value}");
            }
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [TestCaseSource(nameof(EverySpelling))]
    public void Every_alias_and_base64_form_gives_the_same_plan(string query, TransformPlan expected)
    {
        Assert.That(Query.Plan(query), Is.EqualTo(expected));
    }

    [Test]
    public void Every_issue_11_parameter_has_a_sample()
    {
        string[] issue11 =
        [
            "bri", "con", "exp", "gam", "high", "shad", "sat", "vib", "hue", "invert", "usm", "usmrad", "nr", "nrs",
            "monochrome", "sepia", "duotone", "duotone-alpha", "htn", "px",
            "border", "border-top", "border-right", "border-bottom", "border-left", "border-radius", "border-radius-inner",
            "border-stroke-color", "border-stroke-size", "mask", "corner-radius", "mask-bg",
            "trim", "trim-color", "trim-md", "trim-sd", "trim-tol", "trim-alpha", "trim-pad",
            "fill-gradient-type", "fill-gradient-cs", "fill-gradient-linear", "fill-gradient-linear-direction", "fill-gradient-radial",
            "fill-gradient-radial-radius", "fill-gradient-radial-x", "fill-gradient-radial-y", "rot-type",
            "jpg-progressive", "chromasub", "colorquant", "cs", "dpi", "iptc", "svg-sanitize", "fp-debug",
        ];
        Assert.That(Samples.Select(s => s.Name), Is.SupersetOf(issue11));
        Assert.That(issue11.Select(Parameters.Find), Has.None.Null);
    }

    [TestCaseSource(nameof(EverySpelling))]
    public void Canonical_text_reads_back_to_the_same_plan(string query, TransformPlan expected)
    {
        var plan = Query.Plan(query);
        Assert.That(Query.Plan(CacheKey.Canonical(plan)), Is.EqualTo(plan));
        Assert.That(CacheKey.Canonical(plan), Is.EqualTo(plan == D ? "" : CacheKey.Canonical(expected)).And.Not.Contains("64="));
    }

    private static IEnumerable<TestCaseData> Values()
    {
        TestCaseData Row(string query, TransformPlan expected) => new TestCaseData(query, expected).SetName($"?{query}");

        yield return Row("hue=360", D);
        yield return Row("hue=-360", D);
        yield return Row("bri=0&sat=0&usmrad=2.5&duotone-alpha=100&trim-md=11&trim-sd=10", D);
        yield return Row("inv=0", D);
        yield return Row("mask=corners&corner-radius=1,2,3,4", D with { Mask = MaskSpec.None with { Kind = MaskKind.Corners, CornerRadius = new CornerRadii(1, 2, 3, 4) } });
        yield return Row("mask=/masks/star.png", D with { Mask = MaskSpec.None with { Kind = MaskKind.Image, Image = new ImageReference(ImageReferenceKind.SourcePath, "masks/star.png") } });
        yield return Row("mask=masks%2Fstar.png", D with { Mask = MaskSpec.None with { Kind = MaskKind.Image, Image = new ImageReference(ImageReferenceKind.SourcePath, "masks/star.png") } });
        yield return Row("mask64=aHR0cHM6Ly9jZG4uZXhhbXBsZS5jb20vbS5wbmc", D with { Mask = MaskSpec.None with { Kind = MaskKind.Image, Image = new ImageReference(ImageReferenceKind.Url, "https://cdn.example.com/m.png") } });
        yield return Row("border=10,000&border-left=0", D with { Border = BorderSpec.None with { Width = new Padding(10, 10, 10, 0), Color = new Rgba(0, 0, 0, 255) } });
        yield return Row("border-left=0&border=10,000", D with { Border = BorderSpec.None with { Width = new Padding(10, 10, 10, 0), Color = new Rgba(0, 0, 0, 255) } });
        yield return Row("fill=gradient", D with { Fill = FillMode.Gradient });
        yield return Row("fill=gen", D with { Fill = FillMode.Blur });
        yield return Row("fill=generative", D with { Fill = FillMode.Blur });
        yield return Row("fill-gradient-linear-direction=bottom,top", D with { Gradient = GradientSpec.Default with { From = Side.Bottom, To = Side.Top } });
        yield return Row("fill-gradient-linear-direction=top,bottom", D);
        yield return Row("fill-gradient-radial-x=1", D with { Gradient = GradientSpec.Default with { CenterX = SizeValue.Fraction(1) } });
        yield return Row("fm=png8&colorquant=8", D with { Format = ImageFormat.Png, Encoding = EncodingOptions.Default with { Palette = true, ColorQuant = 8 } });
        yield return Row("fm=png32", D with { Format = ImageFormat.Png });
        yield return Row("fm=pjpg&jpg-progressive=false", D with { Format = ImageFormat.Jpeg });
        yield return Row("fm=jpg&jpeg-progressive=1", D with { Format = ImageFormat.Jpeg, Progressive = true });
        yield return Row("auto=enhance", D with { AutoEnhance = true });
        yield return Row("auto=redeye", D);
        yield return Row("trim=auto&trimpad=200", D with { Trim = TrimSpec.None with { Mode = TrimMode.Auto, Pad = 200 } });
    }

    [TestCaseSource(nameof(Values))]
    public void Value_forms(string query, TransformPlan expected)
    {
        var plan = Query.Plan(query);
        Assert.That(plan, Is.EqualTo(expected));
        Assert.That(Query.Plan(CacheKey.Canonical(plan)), Is.EqualTo(plan), "canonical text reads back");
    }

    [TestCase("fm=jpg&jpg-progressive=true", "fm=pjpg")]
    [TestCase("fm=png8", "fm=png8")]
    [TestCase("border=10,red&border-left=0", "border=0,ffff0000&border-top=10&border-right=10&border-bottom=10")]
    [TestCase("border-top=5&border-right=5&border-bottom=5&border-left=5", "border-top=5&border-right=5&border-bottom=5&border-left=5")]
    [TestCase("border-radius=7,7,7,7&border=2,fff", "border=2,ffffffff&border-radius=7")]
    [TestCase("mask=/a%20b.png", "mask=%2Fa%20b.png")]
    [TestCase("sat=-100&bri=10&con=+10", "bri=10&con=10&sat=-100")]
    [TestCase("auto=true", "auto=enhance")]
    [TestCase("iptc=allow&svg-sanitize=false&fill-gen-prompt=x&cs=origin", "cs=origin&iptc=allow")]
    [TestCase("cs=strip&iptc=block", "")]
    [TestCase("cs=tinysrgb", "cs=tinysrgb")]
    public void Canonical(string query, string canonical)
    {
        Assert.That(CacheKey.Canonical(Query.Plan(query)), Is.EqualTo(canonical));
    }

    [TestCase("bri=101", "bri")]
    [TestCase("bri=-101", "bri")]
    [TestCase("bri=1.5", "bri")]
    [TestCase("bri=", "bri")]
    [TestCase("con=--1", "con")]
    [TestCase("exp=x", "exp")]
    [TestCase("gam=200", "gam")]
    [TestCase("high=1", "high")]
    [TestCase("shad=-1", "shad")]
    [TestCase("shad=101", "shad")]
    [TestCase("sat=-200", "sat")]
    [TestCase("vib=abc", "vib")]
    [TestCase("hue=361", "hue")]
    [TestCase("invert=yes", "invert")]
    [TestCase("inv=2", "inv")]
    [TestCase("usm=150", "usm")]
    [TestCase("usmrad=-1", "usmrad")]
    [TestCase("nr=101", "nr")]
    [TestCase("nrs=x", "nrs")]
    [TestCase("monochrome=zzz", "monochrome")]
    [TestCase("mono=12345", "mono")]
    [TestCase("sepia=101", "sepia")]
    [TestCase("sepia=-1", "sepia")]
    [TestCase("duotone=red", "duotone")]
    [TestCase("duotone=red,blue,green", "duotone")]
    [TestCase("duotone-alpha=101", "duotone-alpha")]
    [TestCase("htn=-5", "htn")]
    [TestCase("px=101", "px")]
    [TestCase("border=10", "border")]
    [TestCase("border=red,10", "border")]
    [TestCase("border=-1,red", "border")]
    [TestCase("border-top=-1", "border-top")]
    [TestCase("border-right=8193", "border-right")]
    [TestCase("border-bottom=a", "border-bottom")]
    [TestCase("border-left=1.5", "border-left")]
    [TestCase("border-radius=1,2", "border-radius")]
    [TestCase("border-radius=-3", "border-radius")]
    [TestCase("border-radius-inner=1,2,3,x", "border-radius-inner")]
    [TestCase("border-stroke-color=nope", "border-stroke-color")]
    [TestCase("border-stroke-size=101", "border-stroke-size")]
    [TestCase("mask=", "mask")]
    [TestCase("mask=ftp://example.com/m.png", "mask")]
    [TestCase("mask=https://user:pw@example.com/m.png", "mask")]
    [TestCase("mask=https://", "mask")]
    [TestCase("mask=%2F", "mask")]
    [TestCase("corner-radius=1,2,3", "corner-radius")]
    [TestCase("mask-bg=nope", "mask-bg")]
    [TestCase("maskbg=nope", "maskbg")]
    [TestCase("trim=yes", "trim")]
    [TestCase("trim-color=nope", "trim-color")]
    [TestCase("trimcolor=nope", "trimcolor")]
    [TestCase("trim-md=-1", "trim-md")]
    [TestCase("trimmd=1001", "trimmd")]
    [TestCase("trim-sd=x", "trim-sd")]
    [TestCase("trimsd=-2", "trimsd")]
    [TestCase("trim-tol=256", "trim-tol")]
    [TestCase("trimtol=x", "trimtol")]
    [TestCase("trim-alpha=300", "trim-alpha")]
    [TestCase("trim-pad=201", "trim-pad")]
    [TestCase("trimpad=-201", "trimpad")]
    [TestCase("fill=rainbow", "fill")]
    [TestCase("fill-gradient-type=conic", "fill-gradient-type")]
    [TestCase("fill-gradient-cs=cmyk", "fill-gradient-cs")]
    [TestCase("fill-gradient-linear=red", "fill-gradient-linear")]
    [TestCase("fill-gradient-linear-direction=up", "fill-gradient-linear-direction")]
    [TestCase("fill-gradient-linear-direction=top,left", "fill-gradient-linear-direction")]
    [TestCase("fill-gradient-linear-direction=top,bottom,left", "fill-gradient-linear-direction")]
    [TestCase("fill-gradient-radial=red,", "fill-gradient-radial")]
    [TestCase("fill-gradient-radial-radius=0.5", "fill-gradient-radial-radius")]
    [TestCase("fill-gradient-radial-radius=1.5,0.5", "fill-gradient-radial-radius")]
    [TestCase("fill-gradient-radial-x=9000", "fill-gradient-radial-x")]
    [TestCase("fill-gradient-radial-y=-0.5", "fill-gradient-radial-y")]
    [TestCase("fill-gen-fallback=maybe", "fill-gen-fallback")]
    [TestCase("fill-generative-fallback=maybe", "fill-generative-fallback")]
    [TestCase("fill-gen-pos=top,inside", "fill-gen-pos")]
    [TestCase("fill-gen-seed=-1", "fill-gen-seed")]
    [TestCase("rot-type=spin", "rot-type")]
    [TestCase("rottype=spin", "rottype")]
    [TestCase("rott=", "rott")]
    [TestCase("fp-debug=yes", "fp-debug")]
    [TestCase("jpg-progressive=2", "jpg-progressive")]
    [TestCase("jpeg-progressive=x", "jpeg-progressive")]
    [TestCase("chromasub=411", "chromasub")]
    [TestCase("colorquant=1", "colorquant")]
    [TestCase("colorquant=257", "colorquant")]
    [TestCase("cs=cmyk", "cs")]
    [TestCase("dpi=0", "dpi")]
    [TestCase("dpi=72.5", "dpi")]
    [TestCase("iptc=keep", "iptc")]
    [TestCase("svg-sanitize=maybe", "svg-sanitize")]
    [TestCase("sat64=LTEwMQ", "sat")]
    [TestCase("sat64=%%%", "sat64")]
    public void Bad_values_are_a_400_naming_the_parameter(string query, string name)
    {
        var error = Query.Error(query);
        Assert.That(error.Status, Is.EqualTo(400));
        Assert.That(error.Message, Does.Contain($"'{name}'"));
    }

    // --- unsupported parameters ---

    private static Result<TransformPlan> Build(string query, UnsupportedParameterPolicy policy, IReadOnlyDictionary<string, string>? defaults = null)
        => PlanBuilder.Build(RequestParser.Parse(query).Value!, defaults, null, policy);

    [Test]
    public void Ignore_is_the_default_and_drops_what_is_not_implemented()
    {
        Assert.That(Build("w=400&bg-remove=true&grid-size=8&upscale=true", UnsupportedParameterPolicy.Ignore).Value, Is.EqualTo(D with { Width = SizeValue.Pixels(400) }));
    }

    [Test]
    public void Reject_lists_every_unimplemented_imgix_parameter_as_written()
    {
        var error = Build("w=400&upscale=hi&bg-remove=x&grid-size64=OA&ixlib=js-3.8.0&cb=1&bogus&upscale=again&sat=-100&txt=ok&mark=/logo.png", UnsupportedParameterPolicy.Reject).Error;
        Assert.That(error?.Status, Is.EqualTo(400));
        Assert.That(error!.Message, Does.EndWith(": upscale, bg-remove, grid-size"));
    }

    [Test]
    public void Reject_checks_the_source_defaults_too()
    {
        var error = Build("w=400", UnsupportedParameterPolicy.Reject, new Dictionary<string, string> { ["upscale64"] = "dHJ1ZQ", ["q"] = "50" }).Error;
        Assert.That(error?.Message, Does.EndWith(": upscale"));
    }

    [Test]
    public void Reject_accepts_implemented_and_no_effect_parameters_and_non_imgix_junk()
    {
        var result = Build("w=400&sat=-50&svg-sanitize=0&fill-gen-prompt=x&auto=redeye&ixlib=rb-4&cachebuster=3", UnsupportedParameterPolicy.Reject);
        Assert.That(result.Value, Is.EqualTo(D with { Width = SizeValue.Pixels(400), Adjust = Adjustments.None with { Saturation = -50 } }));
    }

    // --- the catalogue of all imgix parameters ---

    [Test]
    public void The_catalogue_has_imgixs_179_parameters_with_unique_keys()
    {
        Assert.That(ImgixParameters.All, Has.Count.EqualTo(179));
        var keys = ImgixParameters.All.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
        Assert.That(keys, Is.Unique);
        Assert.That(ImgixParameters.Find("txtclr")?.Name, Is.EqualTo("txt-color"));
        Assert.That(ImgixParameters.Find("ixlib"), Is.Null);
    }

    [TestCase("sat", ParameterSupport.Implemented)]
    [TestCase("border-radius", ParameterSupport.Implemented)]
    [TestCase("iptc", ParameterSupport.Implemented)]
    [TestCase("cs", ParameterSupport.Implemented)]
    [TestCase("svg-sanitize", ParameterSupport.AcceptedWithoutEffect)]
    [TestCase("fill-gen-seed", ParameterSupport.AcceptedWithoutEffect)]
    [TestCase("mark", ParameterSupport.Implemented)]
    [TestCase("upscale", ParameterSupport.NotImplemented)]
    public void Support_levels_come_from_the_parameter_table(string name, ParameterSupport expected)
    {
        Assert.That(ImgixParameters.SupportOf(ImgixParameters.Find(name)!), Is.EqualTo(expected));
    }
}
