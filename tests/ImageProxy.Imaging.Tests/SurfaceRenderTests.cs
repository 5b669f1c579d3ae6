using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// The issue-11 steps end to end (parse → plan → geometry → steps → encode) on a real photo, each checked by a property of
/// the decoded pixels rather than by bytes.
/// </summary>
public sealed class SurfaceRenderTests
{
    private static readonly FormatDecision Png = new(ImageFormat.Png, false);
    private static readonly FormatDecision Jpeg = new(ImageFormat.Jpeg, false);

    private static byte[] Photo => TestImages.Fixture("photo.jpg"); // 256×160, a real photograph

    internal static byte[] Render(byte[] source, string query, FormatDecision? format = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value ?? throw new AssertionException($"'{query}' should build");
        return PlanExecutor.Render(source, plan, format ?? Png, Limits.Default).Bytes;
    }

    /// <summary>A decoded output, for reading many pixels without decoding again.</summary>
    internal sealed class Decoded : IDisposable
    {
        private readonly VipsImage _image;

        public Decoded(byte[] encoded) => _image = VipsImage.NewFromBuffer(encoded);

        public int Width => _image.Width;
        public int Height => _image.Height;
        public int Bands => _image.Bands;

        public double[] this[int x, int y] => _image.Getpoint(x, y);

        /// <summary>Points on an n×n grid inside the image (margins excluded).</summary>
        public IEnumerable<(int X, int Y)> Grid(int n = 9)
        {
            for (var i = 1; i <= n; i++)
            {
                for (var j = 1; j <= n; j++)
                {
                    yield return (i * (Width - 1) / (n + 1), j * (Height - 1) / (n + 1));
                }
            }
        }

        public void Dispose() => _image.Dispose();
    }

    /// <summary>A PNG of the photo inside a uniform frame of <paramref name="frame"/> px in <paramref name="colour"/>.</summary>
    private static byte[] Framed(int frame, double[] color)
    {
        using var photo = VipsImage.NewFromBuffer(Photo);
        using var framed = photo.Embed(frame, frame, photo.Width + (2 * frame), photo.Height + (2 * frame), NetVips.Enums.Extend.Background, color);
        return Save(framed);
    }

    private static byte[] Save(VipsImage image) =>
        image.PngsaveBuffer();

    /// <summary>A neutral grey ramp, 256×64, left black to right white.</summary>
    private static byte[] GreyRamp()
    {
        using var xy = VipsImage.Xyz(256, 64);
        using var x = xy.ExtractBand(0);
        using var grey = x.Linear([1, 1, 1], [0, 0, 0], uchar: true);
        using var srgb = grey.Tagged(NetVips.Enums.Interpretation.Srgb);
        return Save(srgb);
    }

    // ---- adjustments ----

    [Test, Category("Smoke")]
    public void Sat_minus_100_gives_grey()
    {
        using var image = new Decoded(Render(Photo, "w=128&sat=-100"));
        foreach (var (x, y) in image.Grid())
        {
            var p = image[x, y];
            Assert.That(Math.Max(Math.Abs(p[0] - p[1]), Math.Abs(p[1] - p[2])), Is.LessThanOrEqualTo(1), $"pixel {x},{y}: {string.Join(",", p)}");
        }
    }

    [Test]
    public void Sat_plus_50_makes_colors_further_from_grey()
    {
        using var plain = new Decoded(Render(Photo, "w=128"));
        using var vivid = new Decoded(Render(Photo, "w=128&sat=50"));
        double Spread(Decoded d) => d.Grid().Average(p => d[p.X, p.Y].Take(3).Max() - d[p.X, p.Y].Take(3).Min());
        Assert.That(Spread(vivid), Is.GreaterThan(Spread(plain) * 1.2));
    }

    [Test, Category("Smoke")]
    public void Invert_mirrors_every_channel_around_255()
    {
        using var plain = new Decoded(Render(Photo, "w=128"));
        using var inverted = new Decoded(Render(Photo, "w=128&invert=true"));
        foreach (var (x, y) in plain.Grid())
        {
            var (a, b) = (plain[x, y], inverted[x, y]);
            for (var band = 0; band < 3; band++)
            {
                Assert.That(a[band] + b[band], Is.EqualTo(255).Within(1), $"pixel {x},{y} band {band}");
            }
        }
    }

    [TestCase("bri=100", 255)]
    [TestCase("bri=-100", 0)]
    [TestCase("con=-100", 128)]
    public void Tone_extremes(string query, double expected)
    {
        using var image = new Decoded(Render(Photo, "w=64&" + query));
        foreach (var (x, y) in image.Grid(4))
        {
            Assert.That(image[x, y].Take(3), Is.All.EqualTo(expected).Within(1));
        }
    }

    [TestCase("bri=30", 1)]
    [TestCase("bri=-30", -1)]
    [TestCase("exp=50", 1)]
    [TestCase("exp=-50", -1)]
    [TestCase("gam=50", 1)]
    [TestCase("gam=-50", -1)]
    [TestCase("shad=100", 1)]
    [TestCase("high=-100", -1)]
    public void Tone_moves_the_mean_the_right_way(string query, int direction)
    {
        using var plain = new Decoded(Render(Photo, "w=128"));
        using var adjusted = new Decoded(Render(Photo, "w=128&" + query));
        double Mean(Decoded d) => d.Grid().Average(p => d[p.X, p.Y].Take(3).Average());
        Assert.That(Math.Sign(Mean(adjusted) - Mean(plain)), Is.EqualTo(direction));
    }

    [Test]
    public void Contrast_spreads_the_values()
    {
        using var plain = new Decoded(Render(Photo, "w=128"));
        using var contrasty = new Decoded(Render(Photo, "w=128&con=60"));
        double Deviation(Decoded d)
        {
            var values = d.Grid().Select(p => d[p.X, p.Y].Take(3).Average()).ToList();
            var mean = values.Average();
            return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        }

        Assert.That(Deviation(contrasty), Is.GreaterThan(Deviation(plain) * 1.2));
    }

    [Test]
    public void Hue_360_is_no_change_and_180_moves_colors()
    {
        Assert.That(Render(Photo, "w=64&hue=360"), Is.EqualTo(Render(Photo, "w=64")));
        using var plain = new Decoded(Render(Photo, "w=64"));
        using var turned = new Decoded(Render(Photo, "w=64&hue=180"));
        var moved = plain.Grid().Average(p => plain[p.X, p.Y].Zip(turned[p.X, p.Y], (a, b) => Math.Abs(a - b)).Take(3).Sum());
        Assert.That(moved, Is.GreaterThan(20));
    }

    [Test]
    public void Auto_enhance_stretches_a_flat_picture_to_the_full_range()
    {
        var flat = Render(Photo, "con=-70", Png);
        using var enhanced = new Decoded(Render(flat, "auto=enhance"));
        using var before = new Decoded(flat);
        double Range(Decoded d)
        {
            var values = d.Grid(15).Select(p => d[p.X, p.Y].Take(3).Average()).ToList();
            return values.Max() - values.Min();
        }

        Assert.That(Range(enhanced), Is.GreaterThan(Range(before) * 2));
    }

    [Test]
    public void Usm_adds_local_contrast_and_nr_removes_grain()
    {
        double Roughness(byte[] png)
        {
            using var d = new Decoded(png);
            return d.Grid(12).Average(p => Math.Abs(d[p.X, p.Y][1] - d[Math.Min(p.X + 1, d.Width - 1), p.Y][1]));
        }

        var plain = Roughness(Render(Photo, "w=200"));
        Assert.Multiple(() =>
        {
            Assert.That(Roughness(Render(Photo, "w=200&usm=100&usmrad=3")), Is.GreaterThan(plain));
            Assert.That(Roughness(Render(Photo, "w=200&nr=100&nrs=-100")), Is.LessThan(plain));
        });
    }

    // ---- stylize ----

    [Test, Category("Smoke")]
    public void Sepia_on_a_neutral_image_gives_red_above_green_above_blue()
    {
        using var image = new Decoded(Render(GreyRamp(), "sepia=100"));
        foreach (var x in new[] { 40, 100, 160, 200 })
        {
            var p = image[x, 32];
            Assert.That(p[0], Is.GreaterThan(p[1]), $"x={x}");
            Assert.That(p[1], Is.GreaterThan(p[2]), $"x={x}");
        }
    }

    [Test]
    public void Duotone_maps_black_and_white_to_its_two_colors()
    {
        using var image = new Decoded(Render(GreyRamp(), "duotone=000080,ffa500"));
        Assert.That(image[0, 32].Take(3), Is.EqualTo(new double[] { 0, 0, 0x80 }).Within(2));
        Assert.That(image[255, 32].Take(3), Is.EqualTo(new double[] { 255, 0xa5, 0 }).Within(2));
    }

    [Test]
    public void Monochrome_keeps_black_and_white_and_tints_the_middle()
    {
        using var image = new Decoded(Render(GreyRamp(), "monochrome=ff0000"));
        Assert.That(image[0, 32].Take(3), Is.All.EqualTo(0).Within(2));
        Assert.That(image[255, 32].Take(3), Is.All.EqualTo(255).Within(2));
        var middle = image[100, 32];
        Assert.That(middle[0], Is.GreaterThan(middle[1] + 50));
    }

    [Test, Category("Smoke")]
    public void Px_20_gives_20_pixel_blocks()
    {
        using var image = new Decoded(Render(Photo, "w=200&px=20"));
        var differingNeighbours = 0;
        for (var bx = 0; bx < 9; bx++)
        {
            for (var by = 0; by < 6; by++)
            {
                var corner = image[bx * 20, by * 20];
                Assert.That(image[(bx * 20) + 19, (by * 20) + 19], Is.EqualTo(corner), $"block {bx},{by} is uniform");
                Assert.That(image[(bx * 20) + 7, (by * 20) + 13], Is.EqualTo(corner), $"block {bx},{by} is uniform");
                if (!image[(bx * 20) + 20, by * 20].SequenceEqual(corner))
                {
                    differingNeighbours++;
                }
            }
        }

        Assert.That(differingNeighbours, Is.GreaterThan(40), "blocks are 20 px, not larger");
    }

    [Test]
    public void Halftone_uses_only_white_and_the_picture()
    {
        using var image = new Decoded(Render(GreyRamp(), "htn=20"));
        // A dark area is mostly ink, a light area mostly paper.
        double White(int x0) => Enumerable.Range(0, 12).Count(i => image[x0 + i, 30][0] > 250) / 12.0;
        Assert.That(White(20), Is.LessThan(White(220)));
    }

    // ---- border, mask, trim ----

    [Test, Category("Smoke")]
    public void Border_frames_the_picture_and_w_still_bounds_the_output()
    {
        using var image = new Decoded(Render(Photo, "w=200&border=10,ff0000"));
        Assert.That(image.Width, Is.EqualTo(200));
        Assert.That(image[2, 2].Take(3), Is.EqualTo(new double[] { 255, 0, 0 }));
        Assert.That(image[image.Width - 3, image.Height / 2].Take(3), Is.EqualTo(new double[] { 255, 0, 0 }));
        Assert.That(image[image.Width / 2, image.Height / 2].Take(3), Is.Not.EqualTo(new double[] { 255, 0, 0 }));
    }

    [Test]
    public void Border_sides_override_the_width()
    {
        using var image = new Decoded(Render(Photo, "w=200&border=10,ff0000&border-left=0&border-top=30"));
        Assert.That(image[1, 100].Take(3), Is.Not.EqualTo(new double[] { 255, 0, 0 }), "no left border");
        Assert.That(image[100, 25].Take(3), Is.EqualTo(new double[] { 255, 0, 0 }), "30 px top border");
    }

    [TestCase("w=200&mask=ellipse")]
    [TestCase("w=200&mask=corners&corner-radius=40")]
    [TestCase("w=200&border=6,00ff00&border-radius=40")]
    public void Masks_and_rounded_borders_leave_transparent_corners_and_an_opaque_centre(string query)
    {
        using var image = new Decoded(Render(Photo, query));
        Assert.That(image.Bands, Is.EqualTo(4));
        foreach (var (x, y) in new[] { (0, 0), (image.Width - 1, 0), (0, image.Height - 1), (image.Width - 1, image.Height - 1), (3, 3) })
        {
            Assert.That(image[x, y][3], Is.EqualTo(0), $"corner {x},{y}");
        }

        Assert.That(image[image.Width / 2, image.Height / 2][3], Is.EqualTo(255), "centre");
    }

    [Test]
    public void A_mask_image_keeps_what_its_alpha_keeps()
    {
        // A disc on transparency, stretched to the picture: corners transparent, centre opaque.
        using var disc = Shapes.Render(50, 50, "<circle cx=\"25\" cy=\"25\" r=\"25\" fill=\"#000\"/>");
        var plan = PlanBuilder.Build(RequestParser.Parse("w=200&mask=/masks/disc.png").Value!).Value!;
        using var image = new Decoded(PlanExecutor.Render(Photo, plan, Png, Limits.Default, EncoderSettings.Default, faces: null, new OverlayImages(Mask: disc.PngsaveBuffer())).Bytes);
        Assert.That(image[1, 1][3], Is.EqualTo(0));
        Assert.That(image[100, image.Height / 2][3], Is.EqualTo(255));
    }

    [Test]
    public void Mask_bg_fills_the_masked_out_area()
    {
        using var image = new Decoded(Render(Photo, "w=200&mask=ellipse&mask-bg=0000ff"));
        Assert.That(image[0, 0], Is.EqualTo(new double[] { 0, 0, 255, 255 }));
    }

    [Test]
    public void Order_border_frames_the_masked_picture()
    {
        // Mask first, then border: the output's corner is border colour, the picture's own corner (inside the border) is transparent.
        using var image = new Decoded(Render(Photo, "w=200&mask=ellipse&border=10,ff0000"));
        Assert.That(image[1, 1], Is.EqualTo(new double[] { 255, 0, 0, 255 }), "outer corner: border");
        Assert.That(image[12, 12][3], Is.EqualTo(0), "picture corner inside the border: masked");
        Assert.That(image[100, image.Height / 2][3], Is.EqualTo(255), "centre");
    }

    [Test, Category("Smoke")]
    public void Trim_auto_removes_a_uniform_frame_and_nothing_else()
    {
        using var original = new Decoded(Render(Photo, ""));
        using var trimmed = new Decoded(Render(Framed(24, [250, 250, 250]), "trim=auto"));
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo((original.Width, original.Height)));
        foreach (var (x, y) in original.Grid())
        {
            Assert.That(trimmed[x, y], Is.EqualTo(original[x, y]).Within(12), $"pixel {x},{y}");
        }
    }

    [Test]
    public void Trim_auto_leaves_a_picture_without_a_frame_alone()
    {
        Assert.That(new Decoded(Render(Photo, "trim=auto")).Width, Is.EqualTo(256));
    }

    [TestCase("trim=color&trim-color=00ff00&trim-tol=10")]
    [TestCase("trim=colorunlessalpha&trim-color=00ff00&trim-tol=10")]
    public void Trim_color_removes_a_frame_of_that_color(string query)
    {
        using var trimmed = new Decoded(Render(Framed(10, [0, 255, 0]), query));
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo((256, 160)).Using<(int, int)>((a, b) => Math.Abs(a.Item1 - b.Item1) <= 2 && Math.Abs(a.Item2 - b.Item2) <= 2 ? 0 : 1));
    }

    [Test]
    public void Trim_pad_keeps_some_frame()
    {
        using var trimmed = new Decoded(Render(Framed(24, [250, 250, 250]), "trim=auto&trim-pad=5"));
        Assert.That(trimmed.Width, Is.EqualTo(266).Within(2));
    }

    [Test]
    public void Order_trim_happens_before_resize()
    {
        // With the frame trimmed first, w=128 scales the photo alone: no frame colour in the left column.
        using var image = new Decoded(Render(Framed(24, [250, 0, 250]), "trim=auto&w=128"));
        Assert.That(image.Height, Is.EqualTo(80));
        Assert.That(Enumerable.Range(0, 8).Select(i => image[0, i * 10]).Count(p => p[0] > 200 && p[1] < 60 && p[2] > 200), Is.EqualTo(0));
    }

    [Test]
    public void Trim_alpha_removes_transparent_margins()
    {
        using var photo = VipsImage.NewFromBuffer(Photo);
        using var rgba = photo.BandjoinConst([255]);
        using var padded = rgba.Embed(15, 15, photo.Width + 30, photo.Height + 30, NetVips.Enums.Extend.Background, [0, 0, 0, 0]);
        using var trimmed = new Decoded(Render(Save(padded), "trim=alpha"));
        Assert.That((trimmed.Width, trimmed.Height), Is.EqualTo((256, 160)));
    }

    // ---- fill, rotation, debugging ----

    [Test]
    public void Fill_gradient_runs_from_the_first_color_to_the_second()
    {
        using var image = new Decoded(Render(Photo, "w=200&h=300&fit=fill&fill=gradient&fill-gradient-linear=ff0000,0000ff"));
        Assert.That(image[100, 1][0], Is.GreaterThan(image[100, 1][2] + 150), "top is red");
        Assert.That(image[100, 298][2], Is.GreaterThan(image[100, 298][0] + 150), "bottom is blue");
    }

    [Test]
    public void Fill_gradient_radial_has_its_centre_color_at_the_centre()
    {
        using var image = new Decoded(Render(Photo, "w=300&h=300&fit=fill&fill=gradient&fill-gradient-type=radial&fill-gradient-radial=ffffff,000000&fill-gradient-radial-y=0.1"));
        Assert.That(image[150, 30][0], Is.GreaterThan(240));
        Assert.That(image[5, 295][0], Is.LessThan(20));
    }

    [Test]
    public void Rot_type_straighten_keeps_the_size_without_empty_corners_and_pivot_grows()
    {
        using var straight = new Decoded(Render(Photo, "w=200&rot=20&bg=00ff00"));
        using var pivot = new Decoded(Render(Photo, "w=200&rot=20&bg=00ff00&rot-type=pivot"));
        Assert.That((straight.Width, straight.Height), Is.EqualTo((200, 125)));
        Assert.That(straight[0, 0].Take(3), Is.Not.EqualTo(new double[] { 0, 255, 0 }));
        Assert.That(straight[199, 124].Take(3), Is.Not.EqualTo(new double[] { 0, 255, 0 }));
        Assert.That(pivot.Width, Is.GreaterThan(200));
        Assert.That(pivot[0, 0].Take(3), Is.EqualTo(new double[] { 0, 255, 0 }));
    }

    [Test]
    public void Fp_debug_draws_a_crosshair_at_the_focal_point()
    {
        using var image = new Decoded(Render(Photo, "w=100&h=100&fit=crop&crop=focalpoint&fp-x=0.5&fp-y=0.5&fp-debug=1"));
        Assert.That(image[50, 50].Take(3), Is.EqualTo(new double[] { 255, 0, 255 }).Within(30));
        Assert.That(image[50 + 3, 50].Take(3), Is.EqualTo(new double[] { 255, 0, 255 }).Within(30), "arm of the cross");
    }

    [Test]
    public void Adjustments_happen_before_encode_in_every_format()
    {
        using var image = new Decoded(Render(Photo, "w=128&sat=-100&q=95", Jpeg));
        foreach (var (x, y) in image.Grid(5))
        {
            var p = image[x, y];
            Assert.That(p.Take(3).Max() - p.Take(3).Min(), Is.LessThanOrEqualTo(4), $"pixel {x},{y}");
        }
    }

    // ---- encoder options ----

    private static int Marker(byte[] jpeg, byte second)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == second)
            {
                return i;
            }
        }

        return -1;
    }

    [Test, Category("Smoke")]
    public void Png8_is_a_palette_png_and_colorquant_bounds_the_colors()
    {
        var png8 = Render(Photo, "w=128&fm=png8");
        Assert.That(png8[25], Is.EqualTo(3), "IHDR colour type 3 = palette");
        using var quantised = new Decoded(Render(Photo, "w=128&fm=png8&colorquant=4"));
        var colors = quantised.Grid(15).Select(p => string.Join(",", quantised[p.X, p.Y])).Distinct().Count();
        Assert.That(colors, Is.InRange(2, 4));
    }

    [TestCase("chromasub=444", 0x11)]
    [TestCase("chromasub=422", 0x11)]
    [TestCase("chromasub=420", 0x22)]
    public void Chromasub_sets_the_jpeg_sampling_factors(string query, int lumaSampling)
    {
        var jpeg = Render(Photo, "w=128&q=80&" + query, Jpeg);
        var sof = Marker(jpeg, 0xC0);
        Assert.That(sof, Is.GreaterThan(0), "baseline SOF0");
        // SOF: FF C0, length (2), precision (1), height (2), width (2), components (1), then id (1), sampling (1) …
        Assert.That(jpeg[sof + 11], Is.EqualTo(lumaSampling));
    }

    [Test]
    public void Jpg_progressive_writes_a_progressive_jpeg()
    {
        Assert.That(Marker(Render(Photo, "w=64&jpg-progressive=true", Jpeg), 0xC2), Is.GreaterThan(0));
        Assert.That(Marker(Render(Photo, "w=64", Jpeg), 0xC2), Is.EqualTo(-1));
    }

    [TestCase("jpg")]
    [TestCase("png")]
    public void Dpi_is_written_into_the_output_and_nothing_else_of_the_source_metadata(string fm)
    {
        var bytes = Render(TestImages.Fixture("orient6.jpg"), $"w=64&dpi=300&fm={fm}", fm == "jpg" ? Jpeg : Png);
        using var image = VipsImage.NewFromBuffer(bytes);
        Assert.That(image.Xres * 25.4, Is.EqualTo(300).Within(0.5));
        Assert.That(image.Contains("orientation") ? image.Get("orientation") : 1, Is.EqualTo(1), "no orientation tag to turn the upright output again");
        Assert.That(image.GetFields().Where(f => f.Contains("GPS", StringComparison.Ordinal) || f.Contains("Make", StringComparison.Ordinal)), Is.Empty);
    }
}
