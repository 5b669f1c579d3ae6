using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// The computed masks of mask=ellipse and mask=corners cover what librsvg's rasterisation of the same shape covers: the
/// same pixels inside and outside, differences only in the anti-aliased edge.
/// </summary>
public sealed class ShapeMaskTests
{
    private static void AssertSameShape(VipsImage computed, VipsImage drawn)
    {
        Assert.That((computed.Width, computed.Height, computed.Bands), Is.EqualTo((drawn.Width, drawn.Height, 1)));
        using var difference = computed.Subtract(drawn).Abs();
        Assert.That(difference.Avg(), Is.LessThan(0.5), "mean difference per pixel");
        Assert.That(difference.Max(), Is.LessThan(80), "edge pixels differ by anti-aliasing only");
        using var computedArea = computed.Linear([1 / 255.0], [0]);
        using var drawnArea = drawn.Linear([1 / 255.0], [0]);
        Assert.That(computedArea.Avg(), Is.EqualTo(drawnArea.Avg()).Within(0.002), "covered area");
    }

    [TestCase(400, 250)]
    [TestCase(97, 301)]
    [TestCase(150, 40)]
    public void Ellipse_matches_the_svg_ellipse(int width, int height)
    {
        using var computed = ShapeMask.Ellipse(width, height);
        using var drawn = Shapes.Mask(width, height, Shapes.Ellipse(width, height));
        AssertSameShape(computed, drawn);
    }

    [TestCase(400, 250, 10, 10, 10, 10)]
    [TestCase(400, 250, 0, 40, 7, 300)] // 300 is clamped to half the shorter side
    [TestCase(64, 64, 32, 32, 32, 32)]
    public void Rounded_corners_match_the_svg_path(int width, int height, int tl, int tr, int br, int bl)
    {
        var radii = new CornerRadii(tl, tr, br, bl);
        using var computed = ShapeMask.RoundedRect(width, height, radii);
        using var drawn = Shapes.Mask(width, height, Shapes.RoundedRect(0, 0, width, height, radii));
        AssertSameShape(computed, drawn);
        Assert.That(computed.Getpoint(0, 0)[0], Is.EqualTo(tl == 0 ? 255 : 0));
        Assert.That(computed.Getpoint(width / 2, height / 2)[0], Is.EqualTo(255));
    }
}
