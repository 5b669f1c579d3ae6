using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>Table-driven: one row per query, the expected plan or the expected error.</summary>
public class PlanBuilderTests
{
    private static readonly TransformPlan D = TransformPlan.Default;

    private static IEnumerable<TestCaseData> ValidQueries()
    {
        TestCaseData Row(string query, TransformPlan expected) => new TestCaseData(query, expected).SetName($"?{query}");

        yield return Row("", D);
        yield return Row("w=400", D with { Width = SizeValue.Pixels(400) });
        yield return Row("width=400&height=0.5", D with { Width = SizeValue.Pixels(400), Height = SizeValue.Fraction(0.5) });
        yield return Row("w=1", D with { Width = SizeValue.Fraction(1) });
        yield return Row("w=1.0", D with { Width = SizeValue.Fraction(1) });
        yield return Row("w=2", D with { Width = SizeValue.Pixels(2) });
        yield return Row("w=8192", D with { Width = SizeValue.Pixels(8192) });
        yield return Row("w=.25", D with { Width = SizeValue.Fraction(0.25) });
        yield return Row("w=100&w=200", D with { Width = SizeValue.Pixels(200) });
        yield return Row("f=crop", D with { Fit = FitMode.Crop });
        yield return Row("fit=fillmax", D with { Fit = FitMode.FillMax });
        yield return Row("fit=facearea", D with { Fit = FitMode.FaceArea });
        yield return Row("fit=facearea,fill", D with { Fit = FitMode.FaceArea, FaceFallback = FitMode.Fill });
        yield return Row("fit=facearea&facepad=1.5&faceindex=2", D with { Fit = FitMode.FaceArea, FacePad = 1.5, FaceIndex = 2 });
        yield return Row("fm=json&faces=1", D with { Document = DocumentOutput.Json, JsonFaces = true });
        yield return Row("face-blur=40&face-pixelate=100", D with { FaceBlur = 40, FacePixel = 100 });
        yield return Row("crop=top,left", D with { Crop = new CropSpec(-1, -1, CropStrategy.Position) });
        yield return Row("crop=faces,bottom,right", D with { Crop = new CropSpec(1, 1, CropStrategy.Position) { Faces = true } });
        yield return Row("crop=faces", D with { Crop = CropSpec.Center with { Faces = true } });
        yield return Row("crop=center", D);
        yield return Row("crop=entropy,edges", D with { Crop = new CropSpec(0, 0, CropStrategy.Entropy) });
        yield return Row("crop=focalpoint&fp-x=0.8&fp-y=0&fp-z=2", D with { Crop = new CropSpec(0, 0, CropStrategy.FocalPoint), Focal = new FocalPoint(0.8, 0, 2) });
        yield return Row("ar=16:9", D with { AspectRatio = 16.0 / 9 });
        yield return Row("ar=0.85:1", D with { AspectRatio = 0.85 });
        yield return Row("dpr=2.5", D with { Dpr = 2.5 });
        yield return Row("dpr=5", D with { Dpr = 5 });
        yield return Row("rect=10,20,300,400", D with { Rect = new RectSpec(new(10, RectUnit.Pixels), new(20, RectUnit.Pixels), new(300, RectUnit.Pixels), new(400, RectUnit.Pixels)) });
        yield return Row("rect=center,bottom,0.5,full", D with { Rect = new RectSpec(new(0, RectUnit.Center), new(0, RectUnit.End), new(0.5, RectUnit.Fraction), new(0, RectUnit.Full)) });
        yield return Row("max-width=300&min-h=10", D with { MaxWidth = 300, MinHeight = 10 });
        yield return Row("bg=f00", D with { Background = new Rgba(255, 0, 0, 255) });
        yield return Row("bg=8f00", D with { Background = new Rgba(255, 0, 0, 0x88) });
        yield return Row("bg=80FF0000", D with { Background = new Rgba(255, 0, 0, 0x80) });
        yield return Row("bg=00ff00", D with { Background = new Rgba(0, 255, 0, 255) });
        yield return Row("bg=%23123456", D with { Background = new Rgba(0x12, 0x34, 0x56, 255) });
        yield return Row("bg=Orange", D with { Background = new Rgba(255, 165, 0, 255) });
        yield return Row("bg=transparent", D with { Background = new Rgba(0, 0, 0, 0) });
        yield return Row("fill=blur&fillcolor=black", D with { Fill = FillMode.Blur, FillColor = new Rgba(0, 0, 0, 255) });
        yield return Row("pad=10", D with { Pad = new Padding(10, 10, 10, 10) });
        yield return Row("pad-left=5&pad=10", D with { Pad = new Padding(10, 10, 10, 5) });
        yield return Row("pad-top=1&pad-right=2&pad-bottom=3&pad-left=4", D with { Pad = new Padding(1, 2, 3, 4) });
        yield return Row("rot=90", D with { Rotation = 90 });
        yield return Row("rot=-90", D with { Rotation = 270 });
        yield return Row("rot=720.5", D with { Rotation = 0.5 });
        yield return Row("rot=360", D);
        yield return Row("flip=hv", D with { Flip = FlipMode.Both });
        yield return Row("orient=180", D with { Orientation = 3 });
        yield return Row("or=0", D with { Orientation = 1 });
        yield return Row("blur=2000&sharp=12.5", D with { Blur = 2000, Sharpen = 12.5 });
        yield return Row("fm=jpeg", D with { Format = ImageFormat.Jpeg });
        yield return Row("fm=pjpg", D with { Format = ImageFormat.Jpeg, Progressive = true });
        yield return Row("fm=pjpg&fm=jpg", D with { Format = ImageFormat.Jpeg });
        yield return Row("fm=png8", D with { Format = ImageFormat.Png, Encoding = EncodingOptions.Default with { Palette = true } });
        yield return Row("fm=png32", D with { Format = ImageFormat.Png });
        yield return Row("fm=jxl", D with { Format = ImageFormat.Jxl });
        yield return Row("q=0&lossless=true", D with { Quality = 0, Lossless = true });
        yield return Row("lossless=0", D);
        yield return Row("auto=format,compress", D with { AutoFormat = true, AutoCompress = true });
        yield return Row("auto=compress&auto=enhance&auto=format", D with { AutoFormat = true, AutoCompress = true, AutoEnhance = true });
        yield return Row("auto=true,redeye", D with { AutoEnhance = true });
        yield return Row("dl=photo%20one.jpg", D with { DownloadName = "photo one.jpg" });
        yield return Row("expires=1893456000", D with { Expires = 1893456000 });
        yield return Row("ixlib=js-3.8.0&cb=123&upscale=hi&grid-size=x&bogus", D);
        yield return Row("w64=NDAw", D with { Width = SizeValue.Pixels(400) });
        yield return Row("W=400", D);
    }

    [TestCaseSource(nameof(ValidQueries))]
    public void Builds(string query, TransformPlan expected)
    {
        Assert.That(Query.Plan(query), Is.EqualTo(expected));
    }

    private static IEnumerable<TestCaseData> InvalidQueries()
    {
        TestCaseData Row(string query, string name) => new TestCaseData(query, name).SetName($"?{query} → 400 {name}");

        foreach (var w in new[] { "0", "8193", "-5", "abc", "1.5", "0.0", "NaN", "Infinity", "1e3", "", " 400", "4 00", "99999999999999999999" })
        {
            yield return Row("w=" + Uri.EscapeDataString(w), "w");
        }

        yield return Row("width=abc", "width");
        yield return Row("h=0", "h");
        yield return Row("fit=banana", "fit");
        yield return Row("f=", "f");
        yield return Row("crop=middle,sideways", "crop");
        yield return Row("fp-x=1.1", "fp-x");
        yield return Row("fp-y=-0.1", "fp-y");
        yield return Row("fp-z=0.5", "fp-z");
        yield return Row("fp-z=101", "fp-z");
        yield return Row("ar=16", "ar");
        yield return Row("ar=0:1", "ar");
        yield return Row("ar=-1:1", "ar");
        yield return Row("ar=a:b", "ar");
        yield return Row("dpr=0", "dpr");
        yield return Row("dpr=5.01", "dpr");
        yield return Row("rect=1,2,3", "rect");
        yield return Row("rect=1,2,0,4", "rect");
        yield return Row("rect=top,2,3,4", "rect");
        yield return Row("rect=1,left,3,4", "rect");
        yield return Row("rect=1.5,2,3,4", "rect");
        yield return Row("max-w=0", "max-w");
        yield return Row("min-height=9000", "min-height");
        yield return Row("bg=ff", "bg");
        yield return Row("bg=gggggg", "bg");
        yield return Row("bg=notacolour", "bg");
        yield return Row("fill-color=12345", "fill-color");
        yield return Row("fill=rainbow", "fill");
        yield return Row("pad=-1", "pad");
        yield return Row("pad-top=8193", "pad-top");
        yield return Row("rot=ninety", "rot");
        yield return Row("flip=x", "flip");
        yield return Row("orient=9", "orient");
        yield return Row("or=45", "or");
        yield return Row("blur=2001", "blur");
        yield return Row("sharp=101", "sharp");
        yield return Row("fm=bmp", "fm");
        yield return Row("q=101", "q");
        yield return Row("q=50.5", "q");
        yield return Row("lossless=yes", "lossless");
        yield return Row("auto=magic", "auto");
        yield return Row("expires=soon", "expires");
        yield return Row("dl=" + new string('a', 256), "dl");
    }

    [TestCaseSource(nameof(InvalidQueries))]
    public void RefusesBadValues(string query, string name)
    {
        var error = Query.Error(query);
        Assert.That(error.Status, Is.EqualTo(400));
        Assert.That(error.Message, Does.StartWith($"Invalid value for parameter '{name}': "));
    }

    [TestCase("jp2")]
    [TestCase("jxr")]
    [TestCase("mp4")]
    [TestCase("webm")]
    public void DocumentedButUnsupportedFormatsAre400(string fm)
    {
        var error = Query.Error("fm=" + fm);
        Assert.That((error.Status, error.Message), Is.EqualTo((400, $"fm={fm} is not supported")));
    }

    [TestCase("faces=2")]
    [TestCase("faces=yes")]
    [TestCase("facepad=0.5")]
    [TestCase("faceindex=0")]
    [TestCase("face-blur=101")]
    public void RefusesBadFaceValues(string query)
    {
        Assert.That(Query.Error(query).Status, Is.EqualTo(400));
    }

    [Test]
    public void DprLimitComesFromLimits()
    {
        var parsed = RequestParser.Parse("dpr=3").Value!;
        Assert.That(PlanBuilder.Build(parsed, null, Limits.Default with { MaxDpr = 2 }).Error?.Status, Is.EqualTo(400));
    }

    [Test]
    public void DefaultsApplyFirstAndTheUrlWins()
    {
        var defaults = new Dictionary<string, string> { ["width"] = "100", ["fit"] = "crop", ["auto"] = "format", ["q"] = "60" };
        var plan = Query.Plan("w=200&auto=compress", defaults);
        Assert.That(plan, Is.EqualTo(D with { Width = SizeValue.Pixels(200), Fit = FitMode.Crop, AutoFormat = true, AutoCompress = true, Quality = 60 }));
    }

    [Test]
    public void DefaultsMayUseBase64()
    {
        var defaults = new Dictionary<string, string> { ["fm64"] = "d2VicA" };
        Assert.That(Query.Plan("", defaults).Format, Is.EqualTo(ImageFormat.WebP));
    }

    [Test]
    public void BadDefaultIs400()
    {
        var defaults = new Dictionary<string, string> { ["q"] = "500" };
        Assert.That(Query.Error("", defaults).Message, Does.Contain("'q'"));
    }

    [Test]
    public void TooManyParametersIs400()
    {
        var parameters = Enumerable.Range(0, 101).Select(i => new KeyValuePair<string, string>("w", "10")).ToList();
        Assert.That(PlanBuilder.Build(new ParsedRequest(parameters, null)).Error?.Status, Is.EqualTo(400));
    }

    [Test]
    public void TableListsEverySupportedParameterWithAliases()
    {
        // Every row is an imgix parameter with exactly imgix's aliases (the catalogue is imgix-url-params 11.35.0).
        foreach (var definition in Parameters.All.Where(d => !Parameters.BeyondImgix.Contains(d.Name)))
        {
            var imgix = ImgixParameters.Find(definition.Name);
            Assert.That(imgix?.Name, Is.EqualTo(definition.Name), $"'{definition.Name}' is not an imgix parameter name");
            Assert.That(definition.Aliases, Is.EquivalentTo(imgix!.Aliases), $"aliases of '{definition.Name}'");
        }

        Assert.That(Parameters.Find("width")?.Name, Is.EqualTo("w"));
        Assert.That(Parameters.Find("or")?.Name, Is.EqualTo("orient"));
        Assert.That(Parameters.Find("fillcolor")?.Name, Is.EqualTo("fill-color"));
        Assert.That(Parameters.Find("upscale"), Is.Null);
        Assert.That(Parameters.All.All(p => p.Values.Length > 0), Is.True);
    }
}
