using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>txt on a real grey photo: red text can only be the caption, so its pixels show where it went.</summary>
public sealed class TextTests
{
    private static (int X0, int Y0, int X1, int Y1, int Count, int Width, int Height) RedBox(string query, Limits? limits = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse("w=400&fm=png&txt-color=ff0000&txt-size=40&" + query).Value!).Value!;
        var bytes = PlanExecutor.Render(TestImages.Corpus("photo-grey-2560x1600.jpg"), plan, new FormatDecision(ImageFormat.Png, false), limits ?? Limits.Default).Bytes;
        return Box(bytes, (r, g, b) => r > 150 && r - g > 80);
    }

    /// <summary>Bounding box and count of the pixels <paramref name="match"/> picks (RGB, alpha ignored).</summary>
    internal static (int X0, int Y0, int X1, int Y1, int Count, int Width, int Height) Box(byte[] encoded, Func<byte, byte, byte, bool> match)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        var raw = image.WriteToMemory<byte>();
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1, count = 0;
        // A grey rendering (one band) has no red at all.
        for (var y = 0; y < image.Height && image.Bands >= 3; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var p = ((y * image.Width) + x) * image.Bands;
                if ((image.Bands < 4 || raw[p + 3] > 0) && match(raw[p], raw[p + 1], raw[p + 2]))
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

    [Test]
    public void Markup_is_interpreted_only_where_the_source_enables_it()
    {
        var plain = RedBox("txt=x&txt-align=top,left");
        var markup = RedBox("txt=%3Cb%3Ex%3C%2Fb%3E&txt-align=top,left", Limits.Default with { TextMarkup = true });
        // Interpreted, "<b>x</b>" is one bold x: about as wide as the plain one, not eight characters.
        Assert.That(markup.X1 - markup.X0, Is.InRange(plain.X1 - plain.X0 - 2, (plain.X1 - plain.X0) * 1.6));
    }

    [Test]
    public void Broken_markup_on_a_markup_source_is_a_400_naming_txt()
    {
        var plan = PlanBuilder.Build(RequestParser.Parse("w=100&txt=%3Cb%3Ex").Value!).Value!;
        var e = Assert.Throws<ImagingException>(() => PlanExecutor.Render(
            TestImages.Corpus("photo-grey-2560x1600.jpg"), plan, new FormatDecision(ImageFormat.Png, false), Limits.Default with { TextMarkup = true }));
        Assert.That(e!.Error.Status, Is.EqualTo(400));
        Assert.That(e.Error.Message, Does.Contain("'txt'"));
    }

    [Test]
    public void Txt_x_and_txt_y_put_the_text_box_there()
    {
        var box = RedBox("txt=Hello&txt-x=100&txt-y=60");
        Assert.Multiple(() =>
        {
            Assert.That(box.X0, Is.InRange(100, 106), "left edge");
            Assert.That(box.Y0, Is.InRange(60, 75), "top edge (below the line's ascent)");
        });
    }

    [Test]
    public void Txt_line_draws_an_outline_in_its_colour_around_the_text()
    {
        static int Blue(string query) => Box(Render("w=400&fm=png&txt-color=ff0000&txt-size=40&txt=Hello&" + query), (r, g, b) => b > 150 && b - r > 80).Count;
        var outlined = Box(Render("w=400&fm=png&txt-color=ff0000&txt-size=40&txt=Hello&txt-line=3&txt-line-color=0000ff"), (r, g, b) => b > 150 && b - r > 80);
        var text = RedBox("txt=Hello");
        Assert.Multiple(() =>
        {
            Assert.That(Blue(string.Empty), Is.Zero, "no outline without txt-line");
            Assert.That(outlined.Count, Is.GreaterThan(300));
            // The outline hugs the text: its box is the text's grown by about 3 px.
            Assert.That(outlined.X0, Is.InRange(text.X0 - 5, text.X0 - 1));
            Assert.That(outlined.X1, Is.InRange(text.X1 + 1, text.X1 + 5));
        });
    }

    [Test]
    public void Txt_shad_darkens_the_picture_below_and_right_of_the_text()
    {
        static int Dark(string query) =>
            Box(Typeset("txt=Hello&txt-size=40&bg=fff&fm=png&txt-color=fff&" + query), (r, g, b) => r < 230 && Math.Abs(r - b) < 10).Count;
        Assert.Multiple(() =>
        {
            Assert.That(Dark(string.Empty), Is.Zero, "white text on white: nothing dark");
            Assert.That(Dark("txt-shad=5"), Is.GreaterThan(500));
        });
    }

    [Test]
    public void A_caption_taller_than_the_picture_is_clipped_or_fitted_inside_it()
    {
        var longText = "txt=" + string.Concat(Enumerable.Repeat("lorem%20ipsum%20dolor%20", 40)) + "&txt-align=top,left";
        var clipped = RedBox(longText);
        var fitted = RedBox(longText + "&txt-fit=max");
        Assert.Multiple(() =>
        {
            Assert.That(clipped.Y1, Is.LessThan(clipped.Height - 10 + 2), "clipped: inside the bottom pad");
            Assert.That(fitted.Y1, Is.LessThan(fitted.Height - 10 + 2), "fitted: inside the bottom pad");
            Assert.That(fitted.Y1 - fitted.Y0, Is.GreaterThan(0.7 * (fitted.Height - 20)), "fitted text fills the room");
            Assert.That(fitted.Count, Is.Not.EqualTo(clipped.Count));
        });
    }

    [TestCase(TextClip.End, false, "abcdefgh", 3, "abc")]
    [TestCase(TextClip.End, true, "abcdefgh", 3, "abc…")]
    [TestCase(TextClip.Start, true, "abcdefgh", 3, "…fgh")]
    [TestCase(TextClip.Middle, true, "abcdefgh", 3, "ab…h")]
    [TestCase(TextClip.End, false, "a👍🏽b", 2, "a👍🏽")]
    public void Clipping_cuts_whole_characters_where_txt_clip_says(TextClip clip, bool ellipsis, string text, int keep, string expected)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        var list = new List<string>();
        while (elements.MoveNext())
        {
            list.Add(elements.GetTextElement());
        }

        Assert.That(Steps.Text.Cut([.. list], keep, TextSpec.None with { Clip = clip, Ellipsis = ellipsis }), Is.EqualTo(expected));
    }

    [Test]
    public void Typeset_image_is_sized_by_the_text_or_by_w_and_h_and_transparent_by_default()
    {
        using var natural = VipsImage.NewFromBuffer(Typeset("txt=Hello&txt-size=40"));
        using var sized = VipsImage.NewFromBuffer(Typeset("txt=Hello&txt-size=40&w=300&h=120"));
        Assert.Multiple(() =>
        {
            Assert.That(natural.Width, Is.InRange(90 + 20, 140 + 20), "Hello at 40 px plus 10 px pad on both sides");
            Assert.That(natural.Height, Is.InRange(28 + 20, 60 + 20), "the ink's height plus pad");
            Assert.That((sized.Width, sized.Height), Is.EqualTo((300, 120)));
            Assert.That(sized.HasAlpha() && sized.Getpoint(0, 0)[3] == 0, Is.True, "corner transparent");
        });
    }

    [Test]
    public void Txt_lead_spaces_lines_and_txt_track_spaces_letters()
    {
        using var lines = VipsImage.NewFromBuffer(Typeset("txt=a%0Ab&txt-size=20"));
        using var led = VipsImage.NewFromBuffer(Typeset("txt=a%0Ab&txt-size=20&txt-lead=30"));
        using var word = VipsImage.NewFromBuffer(Typeset("txt=abcdef&txt-size=20"));
        using var tracked = VipsImage.NewFromBuffer(Typeset("txt=abcdef&txt-size=20&txt-track=5"));
        Assert.Multiple(() =>
        {
            Assert.That(led.Height - lines.Height, Is.InRange(25, 35));
            Assert.That(tracked.Width - word.Width, Is.InRange(25, 35), "six letters, five or six gaps of 5 px");
        });
    }

    [Test]
    public void Right_to_left_paragraphs_are_flush_right_and_left_to_right_ones_flush_left()
    {
        // Two lines, the second short: where its ink sits inside the box shows the paragraph direction pango used.
        static double SecondLineCentre(string text)
        {
            var bytes = Typeset("txt-size=30&txt-pad=0&txt-width=400&txt-color=000&txt=" + Uri.EscapeDataString(text));
            using var image = VipsImage.NewFromBuffer(bytes);
            using var lower = image.ExtractArea(0, image.Height / 2, image.Width, image.Height / 2);
            var box = Box(lower.PngsaveBuffer(), (r, g, b) => true);
            return (box.X0 + box.X1) / 2.0 / image.Width;
        }

        Assert.Multiple(() =>
        {
            Assert.That(SecondLineCentre("שלום עולם ושלום לכולם\nשל"), Is.GreaterThan(0.75), "Hebrew");
            Assert.That(SecondLineCentre("مرحبا بالعالم الجميل جدا\nمر"), Is.GreaterThan(0.75), "Arabic");
            Assert.That(SecondLineCentre("Hello to the whole world\nHe"), Is.LessThan(0.25), "Latin");
        });
    }

    [Test]
    public void Emoji_are_drawn_in_colour()
    {
        var box = Box(Typeset("txt-size=64&txt=" + Uri.EscapeDataString("😀")), (r, g, b) => r > 180 && g > 120 && b < 90);
        Assert.That(box.Count, Is.GreaterThan(300), "yellow pixels of the grinning face (fonts-noto-color-emoji)");
    }

    [Test]
    public void Dpr_scales_the_text_with_the_picture()
    {
        var single = RedBox("txt=Hello&txt-size=20&txt-align=top,left");
        var doubled = RedBox("txt=Hello&txt-size=20&txt-align=top,left&w=200&dpr=2");
        using var typeset = VipsImage.NewFromBuffer(Typeset("txt=Hello&txt-size=20&w=150&h=40&dpr=2"));
        Assert.Multiple(() =>
        {
            Assert.That(doubled.Width, Is.EqualTo(400));
            Assert.That(doubled.X1 - doubled.X0, Is.InRange(2 * (single.X1 - single.X0) - 4, 2 * (single.X1 - single.X0) + 4));
            Assert.That(doubled.X0, Is.InRange(20, 26), "txt-pad 10 is 20 device pixels");
            Assert.That((typeset.Width, typeset.Height), Is.EqualTo((300, 80)));
        });
    }

    [Test]
    public void Newlines_and_tabs_in_the_text_are_laid_out()
    {
        using var one = VipsImage.NewFromBuffer(Typeset("txt=a%09b&txt-size=20&txt-pad=0"));
        using var two = VipsImage.NewFromBuffer(Typeset("txt=a%0Ab&txt-size=20&txt-pad=0"));
        Assert.That(two.Height, Is.GreaterThan(1.6 * one.Height));
    }

    [Test]
    public void Typeset_without_txt_is_a_400()
    {
        var e = Assert.Throws<ImagingException>(() => Typeset("w=100"));
        Assert.That(e!.Error.Status, Is.EqualTo(400));
    }

    private static byte[] Render(string query) =>
        PlanExecutor.Render(TestImages.Corpus("photo-grey-2560x1600.jpg"), Plan(query), new FormatDecision(ImageFormat.Png, false), Limits.Default).Bytes;

    internal static byte[] Typeset(string query) =>
        TextImage.Render(Plan(query), new FormatDecision(null, false), Limits.Default, EncoderSettings.Default).Bytes;

    private static TransformPlan Plan(string query) => PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!;
}
