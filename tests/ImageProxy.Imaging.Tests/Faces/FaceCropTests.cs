using ImageProxy.FaceEvaluation;
using ImageProxy.Imaging.Faces;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests.Faces;

/// <summary>crop=faces and fit=facearea rendered on labelled portraits, checked on the output's pixels.</summary>
[TestFixture]
public sealed class FaceCropTests : RenderingWithFaces
{
    private static TransformPlan Plan(string query) => PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!;

    private RenderResult Render(byte[] source, string query) =>
        PlanExecutor.Render(source, Plan(query), Png, Limits.Default, EncoderSettings.Default, Finder);

    [Test]
    public void Facearea_fills_a_square_avatar_with_the_labelled_face()
    {
        // portrait-jacket is 584×824 with the face at 186,250 292×345: shrunk whole, the face would be a third of 128 px.
        var source = SetImage("portrait-jacket.jpg");
        var result = Render(source, "fit=facearea&w=128&h=128");

        Assert.That((result.Width, result.Height), Is.EqualTo((128, 128)));
        var found = Detector.Detect(result.Bytes);
        Assert.That(found, Has.Count.EqualTo(1), "the avatar shows the face");
        Assert.That(found[0].Width, Is.GreaterThanOrEqualTo(128 * 0.6), "and the face fills it");

        // The window the renderer cut is the labelled face, padded to a square.
        var g = Geometry.Resolve(Plan("fit=facearea&w=128&h=128"), PlanExecutor.Probe(source), Limits.Default, Finder.Find(source)).Value!;
        var region = g.Region!.Value;
        var label = new Box(186, 250, 292, 345);
        Assert.That(label.Overlap(new Box(region.X, region.Y, region.Width, region.Height)), Is.GreaterThanOrEqualTo(0.5));
    }

    [Test]
    public void Facepad_widens_the_area_around_the_face()
    {
        var source = SetImage("portrait-jacket.jpg");
        var tight = Geometry.Resolve(Plan("fit=facearea&w=128&h=128"), PlanExecutor.Probe(source), Limits.Default, Finder.Find(source)).Value!;
        var padded = Geometry.Resolve(Plan("fit=facearea&w=128&h=128&facepad=1.5"), PlanExecutor.Probe(source), Limits.Default, Finder.Find(source)).Value!;

        Assert.That(padded.Region!.Value.Width, Is.EqualTo(tight.Region!.Value.Width * 1.5).Within(2));
        var face = Detector.Detect(Render(source, "fit=facearea&w=128&h=128&facepad=1.5").Bytes);
        Assert.That(face, Has.Count.EqualTo(1));
        Assert.That(face[0].Width, Is.LessThan(128 * 0.8), "the face no longer fills the avatar");
    }

    [Test]
    public void Facearea_with_an_index_out_of_range_uses_the_fallback_fit()
    {
        var source = SetImage("portrait-jacket.jpg");
        var result = Render(source, "fit=facearea,fill&faceindex=2&w=128&h=128&fill-color=ff0000");

        // fill: the whole 584×824 picture fitted into 128×128 (91 px wide), red bars left and right.
        using var image = VipsImage.NewFromBuffer(result.Bytes);
        var left = image.Getpoint(2, 64);
        Assert.That(left.Take(3), Is.EqualTo(new double[] { 255, 0, 0 }));
    }

    [Test]
    public void CropFinder_keeps_the_face_row_in_a_wide_banner()
    {
        // astronaut (512×512): the face spans rows 80–180, so a centred 512×128 strip (rows 192–320) would miss it.
        var source = SetImage("astronaut.png");
        var result = Render(source, "fit=crop&crop=faces&w=512&h=128");

        Assert.That((result.Width, result.Height), Is.EqualTo((512, 128)));
        Assert.That(Detector.Detect(result.Bytes), Has.Count.EqualTo(1), "the banner shows the face");
        Assert.That(Detector.Detect(Render(source, "fit=crop&w=512&h=128").Bytes), Is.Empty, "a centre crop does not");

        // Pixel for pixel, the banner is the source band centred on the face (rows 66–194 for the labelled face).
        using var banner = VipsImage.NewFromBuffer(result.Bytes);
        using var band = VipsImage.NewFromBuffer(source).ExtractArea(0, 130 - 64, 512, 128);
        using var difference = (banner.ExtractBand(0, 3) - band.ExtractBand(0, 3)).Abs();
        Assert.That(difference.Avg(), Is.LessThan(12));
    }

    [Test]
    public void CropFinder_without_a_face_falls_back_to_the_other_crop_values()
    {
        var source = SetImage("noface-coffee.png");
        var faces = Render(source, "fit=crop&crop=faces,top&w=200&h=50");
        var top = Render(source, "fit=crop&crop=top&w=200&h=50");
        Assert.That(faces.Bytes, Is.EqualTo(top.Bytes));
    }

    [Test]
    public void Every_variant_of_one_original_detects_once()
    {
        using var finder = new FaceFinder();
        var source = SetImage("astronaut.png");
        foreach (var query in new[] { "fit=crop&crop=faces&w=300&h=100", "fit=facearea&w=64&h=64", "fit=facearea&w=200&h=100&facepad=2" })
        {
            PlanExecutor.Render(source, Plan(query), Png, Limits.Default, EncoderSettings.Default, finder);
        }

        PlanExecutor.Render(source, Plan("w=100"), Png, Limits.Default, EncoderSettings.Default, finder);
        Assert.That(finder.Detections, Is.EqualTo(1));
    }
}

/// <summary>fm=json&amp;faces=1: the faces in imgix's shape, in source pixels.</summary>
[TestFixture]
public sealed class FaceDocumentTests
{
    [Test]
    public void Lists_theFinder_in_source_pixels()
    {
        using var faces = new FaceFinder();
        var source = File.ReadAllBytes(Path.Combine(FaceDetectorTests.SetDirectory, "group-four.jpg"));
        var plan = PlanBuilder.Build(RequestParser.Parse("fm=json&faces=1&w=50").Value!).Value!;
        var format = FormatChoice.Choose(plan, null, _ => true).Value!;
        var result = PlanExecutor.Render(source, plan, format, Limits.Default, EncoderSettings.Default, faces);

        Assert.That(result.ContentType, Is.EqualTo("application/json"));
        using var document = System.Text.Json.JsonDocument.Parse(result.Bytes);
        var root = document.RootElement;
        Assert.That((root.GetProperty("PixelWidth").GetInt32(), root.GetProperty("PixelHeight").GetInt32()), Is.EqualTo((200, 200)));
        var boxes = root.GetProperty("Faces").EnumerateArray()
            .Select(f => f.GetProperty("bounds"))
            .Select(b => new Box(b.GetProperty("x").GetInt32(), b.GetProperty("y").GetInt32(), b.GetProperty("width").GetInt32(), b.GetProperty("height").GetInt32()))
            .ToList();
        var labels = LabelledImage.Read(FaceDetectorTests.SetDirectory).Single(i => i.File.EndsWith("group-four.jpg", StringComparison.Ordinal)).Faces;
        Assert.That(boxes, Has.Count.EqualTo(4));
        Assert.That(labels.All(l => boxes.Any(b => b.Overlap(l) >= 0.5)), Is.True, "every labelled face is listed");
    }

    [Test]
    public void WithoutFinder_1_the_document_has_noFinder()
    {
        using var faces = new FaceFinder();
        var source = File.ReadAllBytes(Path.Combine(FaceDetectorTests.SetDirectory, "astronaut.png"));
        var plan = PlanBuilder.Build(RequestParser.Parse("fm=json").Value!).Value!;
        var result = PlanExecutor.Render(source, plan, FormatChoice.Choose(plan, null, _ => true).Value!, Limits.Default, EncoderSettings.Default, faces);

        using var document = System.Text.Json.JsonDocument.Parse(result.Bytes);
        Assert.That(document.RootElement.TryGetProperty("Faces", out _), Is.False);
        Assert.That(faces.Detections, Is.Zero);
    }
}
