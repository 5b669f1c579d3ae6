using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NetVips;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// trim's shortcuts change nothing it removes: the strip search gives libvips find_trim's own box on the whole picture,
/// and a 1-px frame is still trimmed exactly.
/// </summary>
public sealed class TrimTests
{
    private static byte[] Photo => TestImages.Fixture("photo.jpg"); // 256×160

    private static readonly double[] Frame = [250, 250, 250];

    /// <summary>The photo inside a frame of the given widths in <see cref="Frame"/>'s colour, in memory.</summary>
    private static VipsImage Framed(int left, int top, int right, int bottom)
    {
        using var photo = VipsImage.NewFromBuffer(Photo);
        using var framed = photo.Embed(left, top, photo.Width + left + right, photo.Height + top + bottom, Enums.Extend.Background, Frame);
        return framed.CopyMemory();
    }

    private static void AssertSameAsWholePicture(VipsImage image, double threshold = 10)
    {
        var whole = image.FindTrim(threshold, Frame);
        var expected = ((int)whole[0], (int)whole[1], (int)whole[2], (int)whole[3]);
        Assert.That(Trim.Box(image, threshold, Frame), Is.EqualTo(expected));
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(24, 24, 24, 24)]
    [TestCase(3, 0, 70, 40)] // the picture touches the top; the right frame is deeper than the first strip
    [TestCase(0, 0, 0, 0)]
    [TestCase(33, 31, 32, 34)] // edges right at the first strip's depth and its margin
    [TestCase(100, 90, 5, 200)] // deeper than a third of the picture on one side: searched whole
    public void The_strip_search_gives_find_trims_box(int left, int top, int right, int bottom)
    {
        using var image = Framed(left, top, right, bottom);
        AssertSameAsWholePicture(image);
    }

    [Test]
    public void Specks_in_the_frame_count_as_find_trim_counts_them()
    {
        using var framed = Framed(60, 60, 60, 60);
        // A lone pixel (the 3×3 median removes it) at depth 10, and a 4×4 blob (kept) at depth 45 on the left.
        using var blob = framed.Mutate(m =>
        {
            m.DrawRect([0, 0, 0], 10, 200, 1, 1, fill: true);
            m.DrawRect([0, 0, 0], 45, 100, 4, 4, fill: true);
        });
        AssertSameAsWholePicture(blob);
        Assert.That(Trim.Box(blob, 10, Frame).Left, Is.EqualTo(45));
    }

    [Test]
    public void A_picture_of_nothing_but_frame_gives_find_trims_empty_box()
    {
        using var black = VipsImage.Black(300, 200, 3);
        using var uniform = black.Linear([1, 1, 1], Frame, uchar: true);
        AssertSameAsWholePicture(uniform);
    }

    [Test]
    public void A_one_pixel_frame_is_trimmed_exactly()
    {
        using var framed = Framed(1, 1, 1, 1);
        var bytes = framed.PngsaveBuffer();
        using var trimmed = VipsImage.NewFromBuffer(SurfaceRenderTests.Render(bytes, "trim=auto"));
        using var photo = VipsImage.NewFromBuffer(Photo);
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo((photo.Width, photo.Height)));
        // The trimmed picture is the photo itself (the PNG path is lossless after the JPEG decode).
        using var untrimmed = VipsImage.NewFromBuffer(SurfaceRenderTests.Render(Photo, ""));
        using var difference = trimmed.Subtract(untrimmed).Abs();
        Assert.That(difference.Max(), Is.Zero);
    }

    [TestCase(6)] // EXIF orientation 6: the first stored row becomes the right edge
    [TestCase(1)]
    public void A_frame_is_found_whatever_the_orientation(int orientation)
    {
        using var framed = Framed(12, 12, 12, 12);
        using var tagged = framed.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        var bytes = tagged.JpegsaveBuffer(q: 95, keep: Enums.ForeignKeep.Exif);
        using var trimmed = VipsImage.NewFromBuffer(SurfaceRenderTests.Render(bytes, "trim=auto"));
        var expected = orientation == 6 ? (160, 256) : (256, 160);
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo(expected).Using<(int, int)>((a, b) => Math.Abs(a.Item1 - b.Item1) <= 2 && Math.Abs(a.Item2 - b.Item2) <= 2 ? 0 : 1));
    }

    [Test]
    public void A_uniform_first_row_without_a_frame_elsewhere_is_not_trimmed()
    {
        // Only the top row is frame-coloured: the first-row shortcut lets it through, the full check finds the other
        // edges varied, and nothing is trimmed.
        using var photo = VipsImage.NewFromBuffer(Photo);
        using var line = photo.Mutate(m => m.DrawRect(Frame, 0, 0, photo.Width, 1, fill: true));
        using var trimmed = VipsImage.NewFromBuffer(SurfaceRenderTests.Render(line.PngsaveBuffer(), "trim=auto"));
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo((256, 160)));
    }
}
