using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// mark, blend and mask images (issue 12) on real pictures: the photo fixture as the picture, a real photo (the rocket) as
/// an opaque watermark and the gopher logo as a watermark with transparency; each checked by properties of the pixels.
/// </summary>
public sealed class OverlayRenderTests
{
    private static readonly FormatDecision Png = new(ImageFormat.Png, false);

    private static byte[] Photo => TestImages.Fixture("photo.jpg"); // 256×160

    private static readonly Lazy<byte[]> Rocket = new(() => TestImages.Corpus("icc-adobergb-rocket-640x427.jpg"));
    private static readonly Lazy<byte[]> Gopher = new(() => TestImages.Corpus("alpha-gopher-1000x1000.png"));

    internal static byte[] Render(string query, OverlayImages? overlays = null, byte[]? source = null, Limits? limits = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value ?? throw new AssertionException($"'{query}' should build");
        return PlanExecutor.Render(source ?? Photo, plan, Png, limits ?? Limits.Default, EncoderSettings.Default, faces: null, overlays).Bytes;
    }

    private static OverlayImages Mark(byte[] bytes) => new(Mark: bytes);

    /// <summary>The box holding every pixel that differs (by more than 2 in a channel) between two renders; null when none does.</summary>
    private static (int Left, int Top, int Right, int Bottom)? Changed(byte[] a, byte[] b)
    {
        using var first = VipsImage.NewFromBuffer(a);
        using var second = VipsImage.NewFromBuffer(b);
        using var difference = (first - second).Abs();
        using var changed = ChangedMask(difference);
        var box = changed.FindTrim(threshold: 0, background: [0]);
        var (left, top, width, height) = ((int)box[0], (int)box[1], (int)box[2], (int)box[3]);
        return width == 0 ? null : (left, top, left + width, top + height);
    }

    /// <summary>255 where any band of <paramref name="difference"/> is over 2, else 0 (one band).</summary>
    private static VipsImage ChangedMask(VipsImage difference)
    {
        using var over = difference.RelationalConst(NetVips.Enums.OperationRelational.More, [2]);
        return over.Bandbool(NetVips.Enums.OperationBoolean.Or);
    }

    // ---- watermark ----

    [TestCase("bottom,right", 256 - 5 - 64, 160 - 5 - 43)]
    [TestCase("top,left", 5, 5)]
    [TestCase("middle,center", (256 - 64) / 2, (160 - 43) / 2)]
    [TestCase("top,right", 256 - 5 - 64, 5)]
    public void A_watermark_appears_where_mark_align_puts_it_and_nowhere_else(string align, int x, int y)
    {
        var plain = Render("w=256");
        var marked = Render($"w=256&mark=/rocket.jpg&mark-w=64&mark-align={align}", Mark(Rocket.Value));
        // The rocket photo is 640×427: 64 px wide makes it 43 high. Its edge pixels may blend with the photo by a pixel.
        Assert.That(Changed(plain, marked), Is.EqualTo((x, y, x + 64, y + 43)).Using<(int, int, int, int)>(
            (a, b) => Math.Abs(a.Item1 - b.Item1) <= 1 && Math.Abs(a.Item2 - b.Item2) <= 1 && Math.Abs(a.Item3 - b.Item3) <= 1 && Math.Abs(a.Item4 - b.Item4) <= 1));
    }

    [Test]
    public void Mark_x_and_mark_y_place_the_top_left_corner()
    {
        var box = Changed(Render("w=256"), Render("w=256&mark=/r.jpg&mark-w=32&mark-x=100&mark-y=40", Mark(Rocket.Value)));
        Assert.That(box, Is.EqualTo((100, 40, 132, 61)));
    }

    [Test]
    public void Transparent_parts_of_a_watermark_leave_the_picture_alone()
    {
        // The gopher logo's corners are transparent: the changed box lies strictly inside the 100×100 watermark square.
        var box = Changed(Render("w=256"), Render("w=256&mark=/g.png&mark-w=100&mark-align=top,left&mark-pad=0", Mark(Gopher.Value)))!.Value;
        Assert.That(box.Left, Is.GreaterThanOrEqualTo(0));
        Assert.That(box.Right, Is.LessThanOrEqualTo(100));
        Assert.That(box.Bottom, Is.LessThanOrEqualTo(100));
        using var marked = VipsImage.NewFromBuffer(Render("w=256&mark=/g.png&mark-w=100&mark-align=top,left&mark-pad=0", Mark(Gopher.Value)));
        using var plain = VipsImage.NewFromBuffer(Render("w=256"));
        Assert.That(marked.Getpoint(1, 1), Is.EqualTo(plain.Getpoint(1, 1)), "the logo's transparent corner");
    }

    [Test]
    public void Mark_alpha_scales_the_watermarks_opacity()
    {
        const string Query = "w=256&mark=/r.jpg&mark-w=64&mark-align=top,left&mark-pad=0";
        using var plain = VipsImage.NewFromBuffer(Render("w=256"));
        using var full = VipsImage.NewFromBuffer(Render(Query, Mark(Rocket.Value)));
        using var half = VipsImage.NewFromBuffer(Render(Query + "&mark-alpha=50", Mark(Rocket.Value)));
        using var quarter = VipsImage.NewFromBuffer(Render(Query + "&mark-alpha=25", Mark(Rocket.Value)));
        // Over the watermark's box, each result is the picture plus alpha × (watermark − picture).
        using var box = (full - plain).ExtractArea(2, 2, 60, 39);
        using var halfBox = (half - plain).ExtractArea(2, 2, 60, 39);
        using var quarterBox = (quarter - plain).ExtractArea(2, 2, 60, 39);
        Assert.That(box.Abs().Avg(), Is.GreaterThan(20), "the watermark differs from the picture");
        Assert.That(halfBox.Avg(), Is.EqualTo(box.Avg() * 0.5).Within(1.0));
        Assert.That(quarterBox.Avg(), Is.EqualTo(box.Avg() * 0.25).Within(1.0));
    }

    [Test]
    public void Mark_tile_grid_covers_the_whole_picture()
    {
        using var plain = VipsImage.NewFromBuffer(Render("w=256"));
        using var tiled = VipsImage.NewFromBuffer(Render("w=256&mark=/r.jpg&mark-w=20&mark-tile=grid&mark-pad=4", Mark(Rocket.Value)));
        using var difference = (tiled - plain).Abs();
        using var changed = ChangedMask(difference);
        // Every 24×24 cell (a 20 px tile and its 4 px gap) of the picture holds watermark pixels, edges included.
        for (var y = 0; y + 24 <= 160; y += 24)
        {
            for (var x = 0; x + 24 <= 256; x += 24)
            {
                using var cell = changed.ExtractArea(x, y, 24, 24);
                Assert.That(cell.Avg(), Is.GreaterThan(255 * 0.4), $"cell {x},{y}");
            }
        }
    }

    [Test]
    public void Mark_scale_fits_the_watermark_in_a_share_of_the_picture()
    {
        var box = Changed(Render("w=256"), Render("w=256&mark=/r.jpg&mark-scale=25&mark-align=top,left&mark-pad=0", Mark(Rocket.Value)))!.Value;
        // 25 % of 256×160 is 64×40: the 640×427 rocket fits at 60×40.
        Assert.That((box.Right - box.Left, box.Bottom - box.Top), Is.EqualTo((60, 40)));
    }

    [TestCase("mark-if-min-width=257", false)]
    [TestCase("mark-if-min-width=256", true)]
    [TestCase("mark-if-min-height=161", false)]
    [TestCase("mark-if-min-height=160&mark-if-min-width=100", true)]
    public void Mark_if_min_width_and_height_draw_only_on_large_enough_pictures(string condition, bool drawn)
    {
        var box = Changed(Render("w=256"), Render($"w=256&mark=/r.jpg&mark-w=32&{condition}", Mark(Rocket.Value)));
        Assert.That(box.HasValue, Is.EqualTo(drawn));
    }

    [Test]
    public void Mark_fit_crop_fills_both_sides()
    {
        var box = Changed(Render("w=256"), Render("w=256&mark=/r.jpg&mark-w=40&mark-h=40&mark-fit=crop&mark-align=top,left&mark-pad=0", Mark(Rocket.Value)))!.Value;
        Assert.That((box.Right - box.Left, box.Bottom - box.Top), Is.EqualTo((40, 40)));
    }

    [Test]
    public void Mark_rot_turns_the_watermark_box()
    {
        var straight = Changed(Render("w=256"), Render("w=256&mark=/r.jpg&mark-w=64&mark-align=middle,center", Mark(Rocket.Value)))!.Value;
        var turned = Changed(Render("w=256"), Render("w=256&mark=/r.jpg&mark-w=64&mark-rot=90&mark-align=middle,center", Mark(Rocket.Value)))!.Value;
        Assert.That(straight.Right - straight.Left, Is.GreaterThan(straight.Bottom - straight.Top));
        Assert.That(turned.Bottom - turned.Top, Is.EqualTo(straight.Right - straight.Left).Within(2), "a quarter turn swaps the sides");
    }

    [Test]
    public void A_watermark_is_decoded_once_per_size_however_many_pictures_carry_it()
    {
        // A 37 px wide rose is used by no other test, so its decodes are this test's alone.
        var rose = TestImages.Corpus("webp-yellowrose-alpha-400x301.webp");
        var before = Steps.Overlay.Decodes;
        var first = Render("w=256&mark=/rose.webp&mark-w=37", Mark(rose));
        var again = Render("w=200&mark=/rose.webp&mark-w=37", Mark(rose));
        Assert.That(Steps.Overlay.Decodes - before, Is.EqualTo(1));
        Assert.That(Changed(Render("w=256"), first), Is.Not.Null, "drawn from the decode");
        Assert.That(Changed(Render("w=200"), again), Is.Not.Null, "drawn from the kept pixels");
    }

    // ---- blend ----

    [Test]
    public void Blending_a_colour_at_50_percent_moves_the_channel_means_halfway_to_it()
    {
        using var plain = VipsImage.NewFromBuffer(Render("w=256"));
        using var blended = VipsImage.NewFromBuffer(Render("w=256&blend=ff0000&blend-mode=normal&blend-alpha=50"));
        var before = Enumerable.Range(0, 3).Select(b => { using var band = plain.ExtractBand(b); return band.Avg(); }).ToArray();
        var after = Enumerable.Range(0, 3).Select(b => { using var band = blended.ExtractBand(b); return band.Avg(); }).ToArray();
        Assert.That(after[0], Is.EqualTo((before[0] + 255) / 2).Within(1.5), "red toward 255");
        Assert.That(after[1], Is.EqualTo(before[1] / 2).Within(1.5), "green toward 0");
        Assert.That(after[2], Is.EqualTo(before[2] / 2).Within(1.5), "blue toward 0");
    }

    /// <summary>The W3C formulas for a mid grey (128) layer over one picture value, per separable mode.</summary>
    [TestCase("multiply", 200, 200 * 128 / 255.0)]
    [TestCase("screen", 200, 200 + 128 - (200 * 128 / 255.0))]
    [TestCase("darken", 200, 128)]
    [TestCase("lighten", 60, 128)]
    [TestCase("difference", 200, 72)]
    [TestCase("exclusion", 200, 200 + 128 - (2 * 200 * 128 / 255.0))]
    [TestCase("overlay", 60, 2 * 60 * 128 / 255.0)]
    [TestCase("hardlight", 200, 2 * 200 * 128 / 255.0 - 200 + 200)]
    [TestCase("normal", 200, 128)]
    public void A_separable_blend_mode_gives_the_formulas_pixel(string mode, int picture, double expected)
    {
        using var flat = VipsImage.Black(16, 16, 3).Linear([0, 0, 0], [picture, picture, picture], uchar: true).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        var rendered = Render($"blend=808080&bm={mode}", source: flat.PngsaveBuffer());
        Assert.That(TestImages.Pixel(rendered, 8, 8)[0], Is.EqualTo(expected).Within(2));
    }

    [Test]
    public void Luminosity_keeps_the_colour_and_takes_the_layers_lightness()
    {
        using var red = VipsImage.Black(16, 16, 3).Linear([0, 0, 0], [200, 30, 30], uchar: true).Copy(interpretation: NetVips.Enums.Interpretation.Srgb);
        var lighter = TestImages.Pixel(Render("blend=e0e0e0&bm=luminosity", source: red.PngsaveBuffer()), 8, 8);
        var hue = TestImages.Pixel(Render("blend=0000ff&bm=hue", source: red.PngsaveBuffer()), 8, 8);
        Assert.That(lighter[0] + lighter[1] + lighter[2], Is.GreaterThan(200 + 30 + 30 + 150), "lighter");
        Assert.That(lighter[0], Is.GreaterThan(lighter[2]), "still red");
        Assert.That(hue[2], Is.GreaterThan(hue[0]), "blue hue");
    }

    [Test]
    public void A_blend_image_lands_at_its_alignment_and_keeps_the_rest()
    {
        var box = Changed(Render("w=256"), Render("w=256&blend=/r.jpg&bm=normal&blend-w=50&blend-align=bottom,right&blend-pad=3",
            new OverlayImages(Blend: Rocket.Value)))!.Value;
        Assert.That(box, Is.EqualTo((256 - 3 - 50, 160 - 3 - 33, 256 - 3, 160 - 3)));
    }

    [Test]
    public void Blend_size_inherit_covers_the_picture()
    {
        var box = Changed(Render("w=256"), Render("w=256&blend=/r.jpg&bm=difference&blend-size=inherit&blend-fit=scale",
            new OverlayImages(Blend: Rocket.Value)))!.Value;
        Assert.That(box, Is.EqualTo((0, 0, 256, 160)));
    }

    // ---- limits and order ----

    [Test]
    public void An_overlay_over_the_pixel_limit_is_a_422_naming_it()
    {
        var error = Assert.Throws<ImagingException>(() => Render("w=64&mark=/g.png", Mark(Gopher.Value), limits: Limits.Default with { MaxSourcePixels = 500_000 }))!.Error;
        Assert.That((error.Status, error.Message), Is.EqualTo((422, error.Message)));
        Assert.That(error.Message, Does.StartWith("mark:").And.Contain("MaxSourcePixels"));
    }

    [Test]
    public void An_overlay_that_is_not_an_image_is_a_422_naming_it()
    {
        var error = Assert.Throws<ImagingException>(() => Render("w=64&blend=/x.png", new OverlayImages(Blend: "<html></html>"u8.ToArray())))!.Error;
        Assert.That(error.Status, Is.EqualTo(422));
        Assert.That(error.Message, Does.StartWith("blend:"));
    }

    [Test]
    public void The_watermark_goes_over_the_border_and_stays_level_under_rot_while_the_blend_stays_inside_the_border()
    {
        // Order: blend → mask → border → pad → rot → mark → txt. The blend tints the picture, not the black border; the
        // watermark sits in the output's corner, over the border, upright after a quarter turn.
        var bytes = Render("w=200&border=10,000000&blend=ff0000&bm=normal&rot=90&mark=/r.jpg&mark-w=40&mark-align=top,left&mark-pad=0",
            new OverlayImages(Mark: Rocket.Value));
        using var image = VipsImage.NewFromBuffer(bytes);
        var plain = Changed(Render("w=200&border=10,000000&blend=ff0000&bm=normal&rot=90"), bytes)!.Value;
        Assert.That(plain, Is.EqualTo((0, 0, 40, 27)).Using<(int, int, int, int)>((a, b) => Math.Abs(a.Item3 - b.Item3) <= 1 && Math.Abs(a.Item4 - b.Item4) <= 1 && a.Item1 == b.Item1 && a.Item2 == b.Item2),
            "a level 40×27 watermark in the corner, over the border");
        Assert.That(image.Getpoint(image.Width - 3, image.Height - 3), Is.EqualTo(new double[] { 0, 0, 0 }), "border untouched by the blend");
        Assert.That(image.Getpoint(image.Width / 2, image.Height / 2)[0], Is.EqualTo(255), "picture blended red");
    }

    [Test]
    public void A_luminance_mask_image_keeps_the_white_and_drops_the_black()
    {
        // A JPEG has no alpha: its luminance is the mask (white keeps, black removes).
        using var xy = VipsImage.Xyz(64, 32);
        using var x = xy.ExtractBand(0);
        using var halves = (x > 31).Ifthenelse(255, 0).Cast(NetVips.Enums.BandFormat.Uchar);
        var mask = halves.JpegsaveBuffer(q: 95);
        using var image = VipsImage.NewFromBuffer(Render("w=128&mask=/half.jpg", new OverlayImages(Mask: mask)));
        Assert.That(image.Getpoint(10, image.Height / 2)[3], Is.EqualTo(0), "left half masked out");
        Assert.That(image.Getpoint(image.Width - 10, image.Height / 2)[3], Is.EqualTo(255), "right half kept");
    }
}
