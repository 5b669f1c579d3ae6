using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>colorquant=N gives at most N colours for every N (not only the palette sizes 2, 4, 16 and 256).</summary>
public sealed class ColorQuantTests
{
    private static readonly FormatDecision Png = new(ImageFormat.Png, false);
    private static readonly FormatDecision Gif = new(ImageFormat.Gif, false);

    /// <summary>Every distinct pixel value (all bands) of a decoded output.</summary>
    private static int DistinctColors(byte[] encoded)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        var pixels = image.WriteToMemory<byte>();
        var bands = image.Bands;
        return Enumerable.Range(0, pixels.Length / bands).Select(i => Convert.ToHexString(pixels, i * bands, bands)).Distinct().Count();
    }

    [TestCase("fm=png8&colorquant=5", 5)]
    [TestCase("fm=png8&colorquant=3", 3)]
    [TestCase("fm=png8&colorquant=100", 100)]
    [TestCase("fm=png8&colorquant=16", 16)]
    public void Png8_has_at_most_colorquant_colors(string query, int colors)
    {
        var png = SurfaceRenderTests.Render(TestImages.Fixture("photo.jpg"), "w=160&" + query, Png);
        Assert.That(png[25], Is.EqualTo(3), "IHDR colour type 3 = palette");
        // A photograph has far more colours than any of these, so the bound is reached (or nearly) but never passed.
        Assert.That(DistinctColors(png), Is.InRange(Math.Max(2, colors - 2), colors));
    }

    [Test]
    public void Gif_has_at_most_colorquant_colors()
    {
        var gif = SurfaceRenderTests.Render(TestImages.Fixture("photo.jpg"), "w=160&colorquant=12", Gif);
        Assert.That(DistinctColors(gif), Is.InRange(10, 12));
    }

    [Test]
    public void Transparency_counts_as_a_color_and_stays()
    {
        // The alpha fixture's transparent pixels stay transparent within the 6 colours.
        var png = SurfaceRenderTests.Render(TestImages.Fixture("alpha.png"), "w=100&fm=png8&colorquant=6", Png);
        Assert.That(DistinctColors(png), Is.LessThanOrEqualTo(6));
        using var image = VipsImage.NewFromBuffer(png);
        using var alpha = image.ExtractBand(image.Bands - 1);
        Assert.That(alpha.Min(), Is.Zero);
    }
}
