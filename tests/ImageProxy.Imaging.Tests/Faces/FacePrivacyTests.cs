using ImageProxy.Imaging.Faces;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests.Faces;

/// <summary>face-blur and face-pixel on a labelled portrait: the face changes beyond recognition, the rest does not.</summary>
[TestFixture]
public sealed class FacePrivacyTests : RenderingWithFaces
{
    private static readonly byte[] Astronaut = SetImage("astronaut.png");

    private VipsImage Render(string query) => VipsImage.NewFromBuffer(PlanExecutor.Render(
        Astronaut, PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!, Png, Limits.Default, EncoderSettings.Default, Finder).Bytes);

    /// <summary>Mean absolute difference of two renders inside and outside the labelled face (172,80 90×100 at 512 px).</summary>
    private static (double Face, double Elsewhere) Difference(VipsImage a, VipsImage b, int faceX = 172)
    {
        using var diff = (a.ExtractBand(0, 3) - b.ExtractBand(0, 3)).Abs();
        var face = diff.ExtractArea(faceX + 10, 90, 70, 80).Avg();
        // The strip under the shoulders, far from the face.
        var elsewhere = diff.ExtractArea(0, 400, 512, 112).Avg();
        return (face, elsewhere);
    }

    [TestCase("face-pixel=100")]
    [TestCase("face-pixelate=60")]
    [TestCase("face-blur=100")]
    public void Masks_the_face_and_nothing_else(string mask)
    {
        using var plain = Render("w=512");
        using var masked = Render("w=512&" + mask);

        var (face, elsewhere) = Difference(plain, masked);
        Assert.Multiple(() =>
        {
            Assert.That(face, Is.GreaterThan(8), "the face changed");
            Assert.That(elsewhere, Is.EqualTo(0), "the rest did not");
            Assert.That(Detector.Detect(masked.PngsaveBuffer()), Is.Empty, "no face is left to find");
        });
    }

    [Test]
    public void Masks_the_face_where_a_flip_moved_it()
    {
        using var plain = Render("w=512&flip=h");
        using var masked = Render("w=512&flip=h&face-pixel=100");

        // Mirrored: the face now spans x 250–340.
        var (face, elsewhere) = Difference(plain, masked, faceX: 512 - 172 - 90);
        Assert.That((face > 8, elsewhere), Is.EqualTo((true, 0.0)));
    }

    [Test]
    public void MasksFinder_in_the_scaled_and_cropped_output()
    {
        using var masked = Render("w=200&h=100&fit=crop&crop=faces&face-blur=100");
        Assert.That((masked.Width, masked.Height), Is.EqualTo((200, 100)));
        Assert.That(Detector.Detect(masked.PngsaveBuffer()), Is.Empty);
        using var plain = Render("w=200&h=100&fit=crop&crop=faces");
        Assert.That(Detector.Detect(plain.PngsaveBuffer()), Has.Count.EqualTo(1), "the same crop unmasked shows the face");
    }
}
