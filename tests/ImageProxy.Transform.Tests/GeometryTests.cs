using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>Worked sizing examples on a 2000×1000 source (#1–#30, from the rules in docs/web.md, imgix: Sizing) and imgix's own documented examples.</summary>
public class GeometryTests
{
    /// <summary>(name, source W, H, query, output W, H, source region "x,y,w,h" or null for the whole image).</summary>
    private static IEnumerable<TestCaseData> WorkedExamples()
    {
        TestCaseData Case(string name, int w, int h, string query, int outW, int outH, string? region = null) =>
            new TestCaseData(w, h, query, outW, outH, region).SetName($"{name}: {w}x{h} ?{query} -> {outW}x{outH}");

        yield return Case("#1", 2000, 1000, "w=400&h=400", 400, 200);
        yield return Case("#2", 2000, 1000, "w=400&h=400&fit=max", 400, 200);
        yield return Case("#3", 2000, 1000, "w=4000&h=4000&fit=clip", 4000, 2000);
        yield return Case("#4", 2000, 1000, "w=4000&h=4000&fit=max", 2000, 1000);
        yield return Case("#5", 2000, 1000, "w=400&h=400&fit=crop", 400, 400, "500,0,1000,1000");
        yield return Case("#6 left", 2000, 1000, "w=400&h=400&fit=crop&crop=left", 400, 400, "0,0,1000,1000");
        yield return Case("#6 right", 2000, 1000, "w=400&h=400&fit=crop&crop=right", 400, 400, "1000,0,1000,1000");
        yield return Case("#7", 2000, 1000, "w=400&h=400&fit=scale", 400, 400);
        yield return Case("#8", 2000, 1000, "w=400&h=400&fit=fill&fill=solid&fill-color=000", 400, 400);
        yield return Case("#9", 2000, 1000, "w=4000&h=4000&fit=fill", 4000, 4000);
        yield return Case("#10", 2000, 1000, "w=4000&h=4000&fit=fillmax", 4000, 4000);
        yield return Case("#11", 2000, 1000, "w=400&h=400&fit=min", 400, 400, "500,0,1000,1000");
        yield return Case("#12", 2000, 1000, "w=2500&h=500&fit=min", 2000, 400, "0,300,2000,400");
        yield return Case("#13", 2000, 1000, "w=3000&h=3000&fit=min", 1000, 1000, "500,0,1000,1000");
        yield return Case("#14 clip", 2000, 1000, "w=400", 400, 200);
        yield return Case("#14 max", 2000, 1000, "w=400&fit=max", 400, 200);
        yield return Case("#14 crop", 2000, 1000, "w=400&fit=crop", 400, 200);
        yield return Case("#14 scale", 2000, 1000, "w=400&fit=scale", 400, 200);
        yield return Case("#15", 2000, 1000, "h=100", 200, 100);
        yield return Case("#16", 2000, 1000, "w=0.25", 500, 250);
        yield return Case("#17", 2000, 1000, "w=0.25&h=0.5", 500, 250);
        yield return Case("#18", 2000, 1000, "w=400&dpr=2", 800, 400);
        yield return Case("#19", 2000, 1000, "w=400&h=400&dpr=2.5", 1000, 500);
        yield return Case("#20", 2000, 1000, "w=3000&dpr=3", 8192, 4096);
        yield return Case("#21", 2000, 1000, "ar=1:1&fit=crop", 1000, 1000, "500,0,1000,1000");
        yield return Case("#22", 2000, 1000, "w=1280&ar=16:9&fit=crop", 1280, 720, "111,0,1778,1000");
        yield return Case("#23", 2000, 1000, "rect=500,250,1000,500&w=400", 400, 200, "500,250,1000,500");
        yield return Case("#24", 2000, 1000, "rect=center,middle,0.5,0.5", 1000, 500, "500,250,1000,500");
        yield return Case("#25", 2000, 1000, "fit=crop&h=200&max-w=300", 300, 200, "250,0,1500,1000");
        yield return Case("#26", 2000, 1000, "fit=crop&h=200&max-w=1200", 400, 200);
        yield return Case("#27", 2000, 1000, "w=400&h=400&fit=crop&crop=focalpoint&fp-x=0.8&fp-y=0.5", 400, 400, "1000,0,1000,1000");
        yield return Case("#28", 2000, 1000, "w=400&h=400&fit=crop&crop=focalpoint&fp-x=0.8&fp-y=0.5&fp-z=2", 400, 400, "1350,250,500,500");
        yield return Case("#29", 2000, 1000, "pad=20", 2040, 1040);
        yield return Case("#30 (our choice)", 2000, 1000, "w=400&h=400&pad=20", 400, 220);

        yield return Case("doc clip", 300, 200, "fit=clip&w=100&h=100", 100, 67);
        yield return Case("doc crop", 300, 200, "fit=crop&w=300&h=100", 300, 100, "0,50,300,100");
        yield return Case("doc crop square", 300, 200, "fit=crop&w=200&h=200", 200, 200, "50,0,200,200");
        yield return Case("doc ar", 900, 270, "ar=9:1&fit=crop", 900, 100, "0,85,900,100");
        yield return Case("doc ar with w", 2000, 1000, "w=280&ar=2:1&fit=crop", 280, 140);
        yield return Case("doc dpr 1", 2000, 1000, "fit=crop&w=500&h=300", 500, 300, "167,0,1667,1000");
        yield return Case("doc dpr 2", 2000, 1000, "fit=crop&w=500&h=300&dpr=2", 1000, 600, "167,0,1667,1000");
        yield return Case("doc dpr 3", 2000, 1000, "fit=crop&w=500&h=300&dpr=3", 1500, 900, "167,0,1667,1000");
        yield return Case("doc min 300x200 wide", 300, 200, "fit=min&w=500&h=200", 300, 120, "0,40,300,120");
        yield return Case("doc min 300x200 tall", 300, 200, "fit=min&w=200&h=400", 100, 200, "100,0,100,200");
        yield return Case("doc min 300x200 same ratio", 300, 200, "fit=min&w=600&h=400", 300, 200);
    }

    [TestCaseSource(nameof(WorkedExamples))]
    public void WorkedExample(int sourceWidth, int sourceHeight, string query, int outputWidth, int outputHeight, string? region)
    {
        var geometry = Resolve(query, sourceWidth, sourceHeight);

        Assert.Multiple(() =>
        {
            Assert.That((geometry.OutputWidth, geometry.OutputHeight), Is.EqualTo((outputWidth, outputHeight)));
            Assert.That(geometry.Region, Is.EqualTo(region is null ? (PixelRect?)null : ParseRect(region)));
        });
    }

    [Test]
    public void Example5_CropIsASourceRegionResizedToTheBox()
    {
        var geometry = Resolve("w=400&h=400&fit=crop");
        Assert.That((geometry.ScaledWidth, geometry.ScaledHeight, geometry.Crop), Is.EqualTo((400, 400, (PixelRect?)null)));
    }

    [Test]
    public void Example7_ScaleDistorts()
    {
        var geometry = Resolve("w=400&h=400&fit=scale");
        Assert.That((geometry.Region, geometry.ScaledWidth, geometry.ScaledHeight), Is.EqualTo(((PixelRect?)null, 400, 400)));
    }

    [TestCase("w=400&h=400&fit=fill&fill=solid&fill-color=000", 400, 200, 0, 100, CanvasFill.Solid, TestName = "#8 fill: 100 px bands top and bottom")]
    [TestCase("w=4000&h=4000&fit=fill", 4000, 2000, 0, 1000, CanvasFill.Solid, TestName = "#9 fill upscales the picture")]
    [TestCase("w=4000&h=4000&fit=fillmax", 2000, 1000, 1000, 1500, CanvasFill.Solid, TestName = "#10 fillmax keeps the picture size")]
    [TestCase("w=400&h=400&fit=fill&fill=blur", 400, 200, 0, 100, CanvasFill.Blur, TestName = "fill=blur")]
    [TestCase("w=400&h=400&fit=clamp", 400, 200, 0, 100, CanvasFill.ExtendEdges, TestName = "clamp extends edges")]
    public void FillPlacesThePictureCentred(string query, int pictureWidth, int pictureHeight, int x, int y, CanvasFill fill)
    {
        var geometry = Resolve(query);
        Assert.That(
            (geometry.ScaledWidth, geometry.ScaledHeight, geometry.PictureX, geometry.PictureY, geometry.CanvasFill),
            Is.EqualTo((pictureWidth, pictureHeight, x, y, fill)));
    }

    [Test]
    public void FillWithAspectRatioFramesTheUnscaledPicture()
    {
        var geometry = Resolve("ar=1:1&fit=fill");
        Assert.That((geometry.OutputWidth, geometry.OutputHeight, geometry.ScaledWidth, geometry.PictureY), Is.EqualTo((2000, 2000, 2000, 500)));
    }

    [Test]
    public void AspectRatioIsIgnoredWithOtherFits()
    {
        Assert.That(Resolve("w=400&ar=1:1").OutputHeight, Is.EqualTo(200));
    }

    [Test]
    public void Example30_PadIsInsideTheBox()
    {
        var geometry = Resolve("w=400&h=400&pad=20");
        Assert.That((geometry.ScaledWidth, geometry.ScaledHeight, geometry.Pad), Is.EqualTo((360, 180, new Padding(20, 20, 20, 20))));
    }

    [Test]
    public void PadScalesWithDpr()
    {
        var geometry = Resolve("w=400&h=400&fit=crop&pad=10&dpr=2");
        Assert.That((geometry.OutputWidth, geometry.OutputHeight, geometry.Pad.Left), Is.EqualTo((800, 800, 20)));
    }

    [Test]
    public void PerSidePadding()
    {
        var geometry = Resolve("pad=10&pad-left=30");
        Assert.That((geometry.OutputWidth, geometry.OutputHeight, geometry.Pad), Is.EqualTo((2040, 1020, new Padding(10, 10, 10, 30))));
    }

    [Test]
    public void MinWidthScalesUpAndCropsTheConstrainedSide()
    {
        var geometry = Resolve("fit=crop&h=200&min-w=600");
        Assert.That((geometry.OutputWidth, geometry.OutputHeight, geometry.Region), Is.EqualTo((600, 200, (PixelRect?)new PixelRect(0, 167, 2000, 667))));
    }

    [Test]
    public void MaxWidthIsIgnoredWithoutFitCrop()
    {
        Assert.That(Resolve("h=200&max-w=300").OutputWidth, Is.EqualTo(400));
    }

    [TestCase("fit=crop&w=400&h=400&crop=entropy", CropStrategy.Entropy)]
    [TestCase("fit=crop&w=400&h=400&crop=edges", CropStrategy.Edges)]
    [TestCase("fit=facearea&w=400&h=400", CropStrategy.Edges)]
    [TestCase("fit=crop&w=400&h=400&crop=faces,edges", CropStrategy.Edges)]
    public void SmartCropsCropInScaledSpace(string query, CropStrategy strategy)
    {
        var geometry = Resolve(query);
        Assert.That(
            (geometry.Region, geometry.ScaledWidth, geometry.ScaledHeight, geometry.Crop, geometry.SmartCrop, geometry.OutputWidth),
            Is.EqualTo(((PixelRect?)null, 800, 400, (PixelRect?)new PixelRect(200, 0, 400, 400), strategy, 400)));
    }

    [Test]
    public void FacesWithoutFallbackIsACentreCrop()
    {
        Assert.That(Resolve("fit=crop&w=400&h=400&crop=faces,top,right").Region, Is.EqualTo((PixelRect?)new PixelRect(1000, 0, 1000, 1000)));
    }

    // --- faces (2000×1000 picture; a 100×120 face at 1500,100 and a 50×60 one at 200,800) ---
    private static readonly PixelRect BigFace = new(1500, 100, 100, 120);
    private static readonly PixelRect SmallFace = new(200, 800, 50, 60);

    [Test]
    public void CropFacesCentresTheWindowOnTheFaces()
    {
        // 1000×1000 window centred on the face's centre x = 1550, kept inside the picture.
        Assert.That(Resolve("fit=crop&w=400&h=400&crop=faces", faces: BigFace).Region, Is.EqualTo((PixelRect?)new PixelRect(1000, 0, 1000, 1000)));
        // A wide 2000×500 band centred on y = 160 → clamped to the top; on both faces → centre of their union (y 100–860).
        Assert.That(Resolve("fit=crop&w=800&h=200&crop=faces", faces: BigFace).Region, Is.EqualTo((PixelRect?)new PixelRect(0, 0, 2000, 500)));
        Assert.That(Resolve("fit=crop&w=800&h=200&crop=faces", faces: [BigFace, SmallFace]).Region, Is.EqualTo((PixelRect?)new PixelRect(0, 230, 2000, 500)));
    }

    [Test]
    public void FaceareaCropsTheFaceWidenedToTheOutputShape()
    {
        // 100×120 → square 120×120 around the centre (1550, 160).
        var g = Resolve("fit=facearea&w=64&h=64", faces: BigFace);
        Assert.That((g.Region, g.OutputWidth, g.OutputHeight), Is.EqualTo(((PixelRect?)new PixelRect(1490, 100, 120, 120), 64, 64)));
        // facepad=2 doubles it: 240×240 around the same centre.
        Assert.That(Resolve("fit=facearea&w=64&h=64&facepad=2", faces: BigFace).Region, Is.EqualTo((PixelRect?)new PixelRect(1430, 40, 240, 240)));
        // faceindex counts in the given order (largest first): 2 is the small face.
        Assert.That(Resolve("fit=facearea&w=64&h=64&faceindex=2", faces: [BigFace, SmallFace]).Region, Is.EqualTo((PixelRect?)new PixelRect(195, 800, 60, 60)));
    }

    [Test]
    public void FaceareaWithoutItsFaceUsesTheFallback()
    {
        // faceindex out of range with facearea,fill: the whole picture filled into 64×64.
        var fill = Resolve("fit=facearea,fill&w=64&h=64&faceindex=3", faces: BigFace);
        Assert.That((fill.Region, fill.ScaledWidth, fill.ScaledHeight, fill.CanvasWidth), Is.EqualTo(((PixelRect?)null, 64, 32, 64)));
        // No faces and no fallback: the attention crop.
        Assert.That(Resolve("fit=facearea&w=64&h=64").SmartCrop, Is.EqualTo(CropStrategy.Edges));
    }

    [Test]
    public void FacesOutsideTheRectDoNotCount()
    {
        // rect = the left half: the big face lies outside, so crop=faces,bottom falls back to the bottom.
        var g = Resolve("rect=0,0,1000,1000&fit=crop&w=400&h=100&crop=faces,bottom", faces: BigFace);
        Assert.That(g.Region, Is.EqualTo((PixelRect?)new PixelRect(0, 750, 1000, 250)));
    }

    [TestCase(6, 1000, 2000)]
    [TestCase(8, 1000, 2000)]
    [TestCase(5, 1000, 2000)]
    [TestCase(3, 2000, 1000)]
    [TestCase(1, 2000, 1000)]
    public void ExifOrientationSwapsAxes(int orientation, int width, int height)
    {
        var facts = new SourceFacts(2000, 1000, orientation, 1, ImageFormat.Jpeg, false);
        var geometry = Geometry.Resolve(TransformPlan.Default, facts, Limits.Default).Value!;
        Assert.That((geometry.Orientation, geometry.SourceWidth, geometry.OutputWidth, geometry.OutputHeight), Is.EqualTo((orientation, width, width, height)));
    }

    [TestCase("orient=90", 6)]
    [TestCase("orient=180", 3)]
    [TestCase("orient=270", 8)]
    [TestCase("orient=0", 1)]
    [TestCase("or=2", 2)]
    public void PlanOrientationOverridesExif(string query, int expected)
    {
        var facts = new SourceFacts(2000, 1000, 6, 1, ImageFormat.Jpeg, false);
        Assert.That(Geometry.Resolve(Query.Plan(query), facts, Limits.Default).Value!.Orientation, Is.EqualTo(expected));
    }

    [Test]
    public void FractionsAreOfTheOrientedSource()
    {
        var facts = new SourceFacts(2000, 1000, 6, 1, ImageFormat.Jpeg, false);
        var geometry = Geometry.Resolve(Query.Plan("w=0.5"), facts, Limits.Default).Value!;
        Assert.That((geometry.OutputWidth, geometry.OutputHeight), Is.EqualTo((500, 1000)));
    }

    [Test]
    public void FractionsAreOfTheRect()
    {
        Assert.That(Resolve("rect=0,0,1000,500&w=0.5").OutputWidth, Is.EqualTo(500));
    }

    [TestCase("rect=1500,0,1000,1000", "1500,0,500,1000", TestName = "rect is clamped inside the image")]
    [TestCase("rect=right,bottom,500,full", "1500,0,500,1000", TestName = "rect keywords")]
    [TestCase("rect=0.5,0.5,0.25,0.25", "1000,500,500,250", TestName = "rect fractions")]
    [TestCase("rect=center,middle,5000,5000", null, TestName = "rect larger than the image is the whole image")]
    public void RectRegion(string query, string? region)
    {
        Assert.That(Resolve(query).Region, Is.EqualTo(region is null ? (PixelRect?)null : ParseRect(region)));
    }

    [Test]
    public void RectOutsideTheImageIs400()
    {
        var result = Geometry.Resolve(Query.Plan("rect=2000,0,10,10"), Facts(2000, 1000), Limits.Default);
        Assert.That((result.Error?.Status, result.Error?.Message), Is.EqualTo(((int?)400, (string?)"Invalid value for parameter 'rect': the rectangle lies outside the 2000×1000 image")));
    }

    [Test]
    public void TooManySourcePixelsIs422()
    {
        var result = Geometry.Resolve(TransformPlan.Default, Facts(10000, 10000), Limits.Default);
        Assert.That(result.Error?.Status, Is.EqualTo(422));
        Assert.That(result.Error!.Message, Does.Contain("MaxSourcePixels"));
    }

    [Test]
    public void TooManyFramesIs422()
    {
        var facts = new SourceFacts(100, 100, 1, 101, ImageFormat.Gif, false);
        var result = Geometry.Resolve(TransformPlan.Default, facts, Limits.Default);
        Assert.That(result.Error?.Status, Is.EqualTo(422));
        Assert.That(result.Error!.Message, Does.Contain("MaxSourceFrames"));
    }

    [Test]
    public void OutputPixelLimitSizesDown()
    {
        var limits = Limits.Default with { MaxOutputPixels = 1_000_000 };
        var geometry = Geometry.Resolve(Query.Plan("w=2000&h=2000&fit=crop&pad=100"), Facts(2000, 1000), limits).Value!;
        Assert.That((long)geometry.OutputWidth * geometry.OutputHeight, Is.LessThanOrEqualTo(1_000_000));
        Assert.That(geometry.OutputWidth, Is.EqualTo(geometry.OutputHeight));
        Assert.That(geometry.Pad.Top, Is.EqualTo(50));
    }

    [Test]
    public void LargeSourceWithPadIsSizedDown()
    {
        var geometry = Geometry.Resolve(Query.Plan("pad=100"), Facts(8192, 4096), Limits.Default).Value!;
        Assert.That(Math.Max(geometry.OutputWidth, geometry.OutputHeight), Is.LessThanOrEqualTo(8192));
    }

    [TestCase("w=8192&h=8192&fit=crop&crop=edges&dpr=5")]
    [TestCase("w=8192&h=8192&fit=crop&crop=focalpoint&fp-z=100&fp-x=1&fp-y=0")]
    [TestCase("w=0.000001&h=0.000001")]
    [TestCase("w=2&h=8192&fit=scale")]
    [TestCase("w=8192&h=2&fit=fill")]
    [TestCase("w=8192&h=8192&fit=min")]
    public void ExtremeRequestsStayWithinLimitsAndPositive(string query)
    {
        foreach (var (w, h) in new[] { (1, 1), (1, 50_000_000), (50_000_000, 1), (7000, 7000), (3, 7) })
        {
            var geometry = Geometry.Resolve(Query.Plan(query), Facts(w, h), Limits.Default).Value!;
            Assert.Multiple(() =>
            {
                Assert.That(geometry.OutputWidth, Is.InRange(1, 8192), $"{w}x{h}");
                Assert.That(geometry.OutputHeight, Is.InRange(1, 8192), $"{w}x{h}");
                Assert.That(geometry.ScaledWidth, Is.GreaterThanOrEqualTo(1));
                Assert.That(geometry.ScaledHeight, Is.GreaterThanOrEqualTo(1));
                Assert.That((long)geometry.ScaledWidth * geometry.ScaledHeight, Is.LessThanOrEqualTo(4 * Limits.Default.MaxOutputPixels));
                if (geometry.Region is { } r)
                {
                    Assert.That(r.X >= 0 && r.Y >= 0 && r.Width >= 1 && r.Height >= 1 && r.X + r.Width <= w && r.Y + r.Height <= h, $"{r} in {w}x{h}");
                }
            });
        }
    }

    [Test]
    public void RotationAndFlipArePassedThrough()
    {
        var geometry = Resolve("rot=-90&flip=hv");
        Assert.That((geometry.Rotation, geometry.Flip), Is.EqualTo((270.0, FlipMode.Both)));
    }

    private static SourceFacts Facts(int width, int height) => new(width, height, 1, 1, ImageFormat.Jpeg, false);

    private static ResolvedGeometry Resolve(string query, int width = 2000, int height = 1000, params PixelRect[] faces)
    {
        var result = Geometry.Resolve(Query.Plan(query), Facts(width, height), Limits.Default, faces);
        Assert.That(result.Error, Is.Null);
        return result.Value!;
    }

    private static PixelRect ParseRect(string text)
    {
        var parts = text.Split(',').Select(int.Parse).ToArray();
        return new PixelRect(parts[0], parts[1], parts[2], parts[3]);
    }
}
