using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>txt on a real grey photo: red text can only be the caption, so its pixels show where it went.</summary>
public sealed class TextTests
{
    private static (int X0, int Y0, int X1, int Y1, int Count, int Width, int Height) RedBox(string query)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse("w=400&fm=png&txt-color=ff0000&txt-size=40&" + query).Value!).Value!;
        var bytes = PlanExecutor.Render(TestImages.Corpus("photo-grey-2560x1600.jpg"), plan, new FormatDecision(ImageFormat.Png, false), Limits.Default).Bytes;
        using var image = VipsImage.NewFromBuffer(bytes);
        var raw = image.WriteToMemory<byte>();
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1, count = 0;
        // A grey rendering (one band) has no red at all.
        for (var y = 0; y < image.Height && image.Bands >= 3; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = ((y * image.Width) + x) * image.Bands;
                if (raw[p] > 150 && raw[p] - raw[p + 1] > 80)
                {
                    (x0, y0, x1, y1, count) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y), count + 1);
                }
            }
        }

        return (x0, y0, x1, y1, count, image.Width, image.Height);
    }

    [Test]
    public void Text_appears_where_txt_align_puts_it_and_nowhere_else()
    {
        var topLeft = RedBox("txt=Hello&txt-align=top,left&txt-pad=20");
        var bottomRight = RedBox("txt=Hello");
        Assert.Multiple(() =>
        {
            Assert.That(topLeft.Count, Is.GreaterThan(200), "the caption is drawn");
            Assert.That((topLeft.X0, topLeft.Y0), Is.EqualTo((20, 20)).Using<(int, int)>((a, b) => Math.Abs(a.Item1 - b.Item1) <= 6 && Math.Abs(a.Item2 - b.Item2) <= 12 ? 0 : 1));
            Assert.That(topLeft.X1, Is.LessThan(topLeft.Width / 2));
            Assert.That(topLeft.Y1, Is.LessThan(topLeft.Height / 2));
            Assert.That(bottomRight.X0, Is.GreaterThan(bottomRight.Width / 2), "default: bottom,right");
            Assert.That(bottomRight.Y0, Is.GreaterThan(bottomRight.Height / 2));
            Assert.That(bottomRight.X1, Is.LessThanOrEqualTo(bottomRight.Width - 10));
        });
    }

    [Test]
    public void Without_txt_there_is_no_red()
    {
        Assert.That(RedBox("txt-align=top").Count, Is.Zero);
    }

    [Test]
    public void Markup_is_shown_as_text_not_interpreted()
    {
        var plain = RedBox("txt=x&txt-align=top,left");
        var markup = RedBox("txt=%3Cb%3Ex%3C%2Fb%3E&txt-align=top,left");
        // Escaped, "<b>x</b>" is eight characters wide; interpreted, it would be one bold x.
        Assert.That(markup.X1 - markup.X0, Is.GreaterThan(4 * (plain.X1 - plain.X0)));
    }

    [Test]
    public void A_bigger_size_gives_taller_text()
    {
        var small = RedBox("txt=Hello");
        var big = RedBox("txt=Hello&txt-size=80");
        Assert.That(big.Y1 - big.Y0, Is.GreaterThan(1.6 * (small.Y1 - small.Y0)));
    }
}
