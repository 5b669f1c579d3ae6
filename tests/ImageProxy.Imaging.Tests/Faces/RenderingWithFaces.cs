using ImageProxy.Imaging.Faces;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests.Faces;

/// <summary>
/// What the face rendering fixtures share: one face finder for the renders (its box cache spans the fixture) and an
/// independent detector to look for faces in the outputs, both loaded once.
/// </summary>
public abstract class RenderingWithFaces
{
    protected static readonly FormatDecision Png = new(ImageFormat.Png, false);

    protected FaceFinder Finder { get; private set; } = null!;

    protected FaceDetector Detector { get; private set; } = null!;

    [OneTimeSetUp]
    public void LoadDetectors()
    {
        Finder = new FaceFinder();
        Detector = FaceDetector.LoadDefault();
    }

    [OneTimeTearDown]
    public void UnloadDetectors()
    {
        Finder.Dispose();
        Detector.Dispose();
    }

    protected static byte[] SetImage(string name) => File.ReadAllBytes(Path.Combine(FaceDetectorTests.SetDirectory, name));
}
