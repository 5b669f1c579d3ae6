using NetVips;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// Small golden images (96 px wide PNGs) for the visual effects, compared by perceptual distance: the mean CIE ΔE76 over
/// all pixels must stay under <see cref="MeanDeltaE"/> and the 99th percentile under <see cref="HighDeltaE"/>, so libvips
/// updates and the two supported builds pass while a changed formula fails. Regenerate only on purpose:
/// <c>IMAGEPROXY_REGENERATE_GOLDEN=1 dotnet test tests/ImageProxy.Imaging.Tests --filter GoldenImageTests</c>,
/// which rewrites tests/ImageProxy.Imaging.Tests/Golden/*.png in the source tree (review them before committing).
/// </summary>
public sealed class GoldenImageTests
{
    private const double MeanDeltaE = 2.0;
    private const double HighDeltaE = 12.0;

    private static readonly bool Regenerate = Environment.GetEnvironmentVariable("IMAGEPROXY_REGENERATE_GOLDEN") == "1";

    private static readonly string SourceDirectory = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Golden"));

    [TestCase("sepia", "w=96&sepia=100")]
    [TestCase("duotone", "w=96&duotone=1e0a3c,ffd28c")]
    [TestCase("monochrome", "w=96&monochrome=3060c0")]
    [TestCase("halftone", "w=96&htn=20")]
    [TestCase("pixelate", "w=96&px=8")]
    [TestCase("tone", "w=96&bri=10&con=30&gam=-20&shad=40&high=-40")]
    [TestCase("colour", "w=96&sat=60&vib=40&hue=30")]
    [TestCase("border_mask", "w=96&mask=ellipse&border=4,ff8000&border-radius=12&border-stroke-size=2&border-stroke-color=000")]
    [TestCase("gradient_fill", "w=96&h=96&fit=fill&fill=gradient&fill-gradient-type=radial&fill-gradient-radial=fff,203060&fill-gradient-cs=oklab")]
    [TestCase("fp_debug", "w=96&h=64&fit=crop&crop=focalpoint&fp-x=0.3&fp-y=0.6&fp-debug=1")]
    [TestCase("txt_caption", "w=96&txt=Hi%20there&txt-size=16&txt-color=ffd000&txt-align=middle,center")]
    [TestCase("txt_outline_shadow", "w=96&txt=Ab&txt-size=28&txt-color=ff2020&txt-line=2&txt-line-color=fff&txt-shad=4&txt-align=top,left&txt-pad=6")]
    public void Looks_like_its_golden_image(string name, string query) =>
        Compare(name, SurfaceRenderTests.Render(TestImages.Fixture("photo.jpg"), query));

    /// <summary>
    /// Every imgix blend mode on a known pair at 70 %: the separable modes with the rocket photo stretched over the photo;
    /// hue, saturation, color and luminosity with an orange layer, since on a photo layer their result hangs on the hue of
    /// near-grey pixels, which any change of resampling moves.
    /// </summary>
    [TestCase("normal"), TestCase("multiply"), TestCase("screen"), TestCase("overlay"), TestCase("darken"), TestCase("lighten")]
    [TestCase("dodge"), TestCase("burn"), TestCase("hardlight"), TestCase("softlight"), TestCase("difference"), TestCase("exclusion")]
    public void Blend_mode_looks_like_its_golden_image(string mode) =>
        Compare("blend_" + mode, OverlayRenderTests.Render(
            $"w=64&blend=/rocket.jpg&blend-mode={mode}&blend-alpha=70&blend-size=inherit&blend-fit=scale",
            new OverlayImages(Blend: TestImages.Corpus("icc-adobergb-rocket-640x427.jpg"))));

    [TestCase("hue"), TestCase("saturation"), TestCase("color"), TestCase("luminosity")]
    public void Non_separable_blend_mode_looks_like_its_golden_image(string mode) =>
        Compare("blend_" + mode, OverlayRenderTests.Render($"w=64&blend=ff6020&blend-mode={mode}&blend-alpha=70"));

    private static void Compare(string name, byte[] rendered)
    {
        var goldenPath = Path.Combine(SourceDirectory, name + ".png");
        if (Regenerate)
        {
            File.WriteAllBytes(goldenPath, rendered);
            Assert.Pass($"regenerated {goldenPath}");
        }

        Assert.That(File.Exists(goldenPath), Is.True, $"no golden image {goldenPath}; run with IMAGEPROXY_REGENERATE_GOLDEN=1");
        using var actual = VipsImage.NewFromBuffer(rendered);
        using var golden = VipsImage.NewFromFile(goldenPath);
        Assert.That((actual.Width, actual.Height), Is.EqualTo((golden.Width, golden.Height)), "size");

        using var actualLab = OnWhite(actual).Colourspace(Enums.Interpretation.Lab);
        using var goldenLab = OnWhite(golden).Colourspace(Enums.Interpretation.Lab);
        using var distance = actualLab.DE76(goldenLab);
        using var levels = distance.Cast(Enums.BandFormat.Uchar);
        Assert.Multiple(() =>
        {
            Assert.That(distance.Avg(), Is.LessThan(MeanDeltaE), "mean ΔE76");
            Assert.That(levels.Percent(99), Is.LessThan(HighDeltaE), "99th percentile ΔE76");
        });
    }

    /// <summary>Transparent areas compared as they would show on a white page.</summary>
    private static VipsImage OnWhite(VipsImage image) => image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image.Copy();
}
