using System.Text;
using System.Text.Json;
using ImageProxy.Imaging.Documents;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>fm=json, palette and fm=blurhash on real corpus images, checked by what the documents say about the pixels.</summary>
public sealed class DocumentTests
{
    private static readonly FormatDecision SameAsSource = new(null, false);

    private static RenderResult Render(byte[] source, string query, Limits? limits = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value ?? throw new AssertionException($"'{query}' should build");
        return PlanExecutor.Render(source, plan, FormatChoice.Choose(plan, null, _ => true).Value!, limits ?? Limits.Default);
    }

    private static JsonElement Json(byte[] source, string query)
    {
        var result = Render(source, query);
        Assert.That(result.ContentType, Does.StartWith("application/json"));
        return JsonDocument.Parse(result.Bytes).RootElement;
    }

    [Test]
    public void Json_of_a_2560x1600_jpeg_reports_its_size_type_and_length()
    {
        var source = TestImages.Corpus("photo-garden-2560x1600.jpg");
        var doc = Json(source, "fm=json");
        Assert.Multiple(() =>
        {
            Assert.That(doc.GetProperty("PixelWidth").GetInt32(), Is.EqualTo(2560));
            Assert.That(doc.GetProperty("PixelHeight").GetInt32(), Is.EqualTo(1600));
            Assert.That(doc.GetProperty("ColorModel").GetString(), Is.EqualTo("RGB"));
            Assert.That(doc.GetProperty("Depth").GetInt32(), Is.EqualTo(8));
            Assert.That(doc.GetProperty("Orientation").GetInt32(), Is.EqualTo(1));
            Assert.That(doc.GetProperty("Content-Type").GetString(), Is.EqualTo("image/jpeg"));
            Assert.That(doc.GetProperty("Content-Length").GetString(), Is.EqualTo(source.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(doc.GetProperty("DPIWidth").GetDouble(), Is.GreaterThan(0));
            Assert.That(doc.TryGetProperty("Faces", out _), Is.False, "Faces only with faces=1");
        });
    }

    [Test]
    public void Json_of_an_iphone_photo_carries_orientation_and_the_exif_groups()
    {
        var doc = Json(TestImages.Corpus("exif-orient6-iphone-205x102.jpg"), "fm=json");
        TestContext.Out.WriteLine(doc.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(doc.GetProperty("Orientation").GetInt32(), Is.EqualTo(6));
            Assert.That(doc.GetProperty("PixelWidth").GetInt32(), Is.EqualTo(205), "stored size, before orientation");
            var tiff = doc.GetProperty("TIFF");
            Assert.That(tiff.GetProperty("Make").GetString(), Is.EqualTo("Apple"));
            Assert.That(tiff.GetProperty("Orientation").GetDouble(), Is.EqualTo(6), "numeric EXIF values are JSON numbers");
            Assert.That(doc.GetProperty("Exif").GetProperty("FNumber").GetDouble(), Is.EqualTo(2.4));
            Assert.That(doc.GetProperty("GPS").GetProperty("GPSLatitude").GetArrayLength(), Is.EqualTo(3), "degrees, minutes, seconds");
            Assert.That(doc.GetProperty("Exif").EnumerateObject().Count(), Is.GreaterThan(3));
        });
    }

    [TestCase("icc-adobergb-rocket-640x427.jpg", "ProfileName", "Adobe RGB")]
    [TestCase("gray-camera-512x512.png", "ColorModel", "Gray")]
    [TestCase("cmyk-video-001-150x103.jpg", "ColorModel", "CMYK")]
    public void Json_names_the_color_model_and_profile(string file, string key, string expected)
    {
        var doc = Json(TestImages.Corpus(file), "fm=json");
        Assert.That(doc.GetProperty(key).GetString(), Does.Contain(expected));
    }

    [Test]
    public void Json_reports_sixteen_bit_depth_and_alpha()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Json(TestImages.Corpus("png16-julia-set-400x400.png"), "fm=json").GetProperty("Depth").GetInt32(), Is.EqualTo(16));
            Assert.That(Json(TestImages.Corpus("alpha-gopher-1000x1000.png"), "fm=json").GetProperty("HasAlpha").GetBoolean(), Is.True);
            Assert.That(Json(TestImages.Corpus("photo-garden-2560x1600.jpg"), "fm=json").GetProperty("HasAlpha").GetBoolean(), Is.False);
        });
    }

    [Test]
    public void Json_reads_the_header_only_so_a_truncated_file_still_describes_itself()
    {
        // The first third of the photo: its header is intact, most of its pixels are missing, so any image output is a 422.
        var whole = TestImages.Corpus("photo-garden-2560x1600.jpg");
        var source = whole[..(whole.Length / 3)];
        Assert.That(() => Render(source, "w=50&fm=png"), Throws.InstanceOf<ImagingException>());
        var doc = Json(source, "fm=json");
        Assert.That(doc.GetProperty("PixelWidth").GetInt32(), Is.EqualTo(2560));
    }

    [Test]
    public void Faces_are_written_in_imgix_shape_when_a_detector_supplies_them()
    {
        var source = TestImages.Corpus("photo-garden-2560x1600.jpg");
        var body = MetadataDocument.Build(source, PlanExecutor.Probe(source), [new PixelRect(10, 20, 30, 40)]);
        var bounds = JsonDocument.Parse(body).RootElement.GetProperty("Faces")[0].GetProperty("bounds");
        Assert.That((bounds.GetProperty("x").GetInt32(), bounds.GetProperty("y").GetInt32(), bounds.GetProperty("width").GetInt32(), bounds.GetProperty("height").GetInt32()),
            Is.EqualTo((10, 20, 30, 40)));
    }

    // Reference values from the woltapp "blurhash" npm package 2.0.5 (encode) on the same 7×5 picture.
    [TestCase(4, 3, "L~HMuhC}POyBx*O,owf}SIn~a|fO")]
    [TestCase(1, 1, "00HMuh")]
    [TestCase(9, 9, "|~HMuhC}POyBP5x[P5x[P5x*O,owf}X6s+Sys+SySIn~a|fOjtWno1Wno1x]THXPoyX6ofbZkCbZjnWno1Wna|n~SMsSSMx^b[S{oybZbbodX8odjnWno1Wna|n~SMsSSMx]THXPoyX6ofbZkCbZSIn~a|fOjtWno1Wno1")]
    public void BlurHash_matches_the_reference_encoder(int x, int y, string expected)
    {
        const int w = 7, h = 5;
        var rgb = new byte[w * h * 3];
        for (var j = 0; j < h; j++)
        {
            for (var i = 0; i < w; i++)
            {
                var p = ((j * w) + i) * 3;
                rgb[p] = (byte)(((i * 37) + (j * 11)) % 256);
                rgb[p + 1] = (byte)((255 - (i * 29)) % 256);
                rgb[p + 2] = (byte)(((j * 53) + 17) % 256);
            }
        }

        Assert.That(BlurHash.Encode(rgb, w, h, x, y), Is.EqualTo(expected));
    }

    [Test]
    public void BlurHash_of_a_photo_has_twelve_components_and_its_average_color()
    {
        var source = TestImages.Corpus("photo-garden-2560x1600.jpg");
        var result = Render(source, "fm=blurhash");
        var hash = Encoding.ASCII.GetString(result.Bytes);
        Assert.That(result.ContentType, Does.StartWith("text/plain"));
        Assert.That(hash, Has.Length.EqualTo(4 + 2 + (2 * 11)), "4×3 components for a landscape picture");
        Assert.That(hash[0], Is.EqualTo('L'), "size flag (4-1) + (3-1)*9 = 21");

        // The DC term (digits 2–5) is the average colour in linear light, written as sRGB; compare with the linear-light
        // mean of a small rendering.
        var dc = Base83(hash[2..6]);
        using var small = NetVips.Image.NewFromBuffer(Render(source, "w=64&fm=png").Bytes);
        using var linear = small.Colourspace(NetVips.Enums.Interpretation.Scrgb);
        var mean = Enumerable.Range(0, 3).Select(b => ToSrgb(linear[b].Avg())).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(dc >> 16, Is.EqualTo(mean[0]).Within(6));
            Assert.That((dc >> 8) & 0xff, Is.EqualTo(mean[1]).Within(6));
            Assert.That(dc & 0xff, Is.EqualTo(mean[2]).Within(6));
        });
    }

    [Test]
    public void Palette_json_lists_the_asked_number_of_colors_and_the_average_luminance()
    {
        var source = TestImages.Corpus("photo-garden-2560x1600.jpg");
        var doc = Json(source, "palette=json&colors=4");
        var colors = doc.GetProperty("colors").EnumerateArray().ToList();
        Assert.That(colors, Has.Count.EqualTo(4));
        foreach (var c in colors)
        {
            var hex = c.GetProperty("hex").GetString()!;
            Assert.That(Convert.ToInt32(hex[1..3], 16), Is.EqualTo(c.GetProperty("red").GetDouble() * 255).Within(0.01));
            Assert.That(Convert.ToInt32(hex[5..7], 16), Is.EqualTo(c.GetProperty("blue").GetDouble() * 255).Within(0.01));
        }

        using var small = NetVips.Image.NewFromBuffer(Render(source, "w=64&fm=png").Bytes);
        var luminance = ((0.2126 * small[0].Avg()) + (0.7152 * small[1].Avg()) + (0.0722 * small[2].Avg())) / 255;
        Assert.That(doc.GetProperty("average_luminance").GetDouble(), Is.EqualTo(luminance).Within(0.02));
    }

    [Test]
    public void Palette_of_a_grey_photo_is_grey_and_has_no_vibrant_color()
    {
        var doc = Json(TestImages.Corpus("photo-grey-2560x1600.jpg"), "palette=json");
        var colors = doc.GetProperty("colors").EnumerateArray().ToList();
        Assert.That(colors, Has.Count.EqualTo(6));
        foreach (var c in colors)
        {
            var (r, g, b) = (c.GetProperty("red").GetDouble(), c.GetProperty("green").GetDouble(), c.GetProperty("blue").GetDouble());
            Assert.That(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)), Is.LessThan(0.05), c.ToString());
        }

        Assert.That(doc.GetProperty("dominant_colors").TryGetProperty("vibrant", out _), Is.False);
    }

    [Test]
    public void Palette_follows_the_processing_so_a_crop_changes_it()
    {
        // imgix extracts the palette after processing: a monochrome rendering has a grey palette.
        var source = TestImages.Corpus("photo-colorfulcups-2560x1600-progressive.jpg");
        var colorful = Json(source, "palette=json").GetProperty("colors").EnumerateArray()
            .Max(c => Math.Abs(c.GetProperty("red").GetDouble() - c.GetProperty("blue").GetDouble()));
        var grey = Json(source, "palette=json&sat=-100").GetProperty("colors").EnumerateArray()
            .Max(c => Math.Abs(c.GetProperty("red").GetDouble() - c.GetProperty("blue").GetDouble()));
        Assert.That(colorful, Is.GreaterThan(0.15));
        Assert.That(grey, Is.LessThan(0.03));
    }

    [Test]
    public void Palette_css_uses_the_prefix_and_imgix_class_names()
    {
        var result = Render(TestImages.Corpus("photo-garden-2560x1600.jpg"), "palette=css&prefix=frog&colors=3");
        var css = Encoding.UTF8.GetString(result.Bytes);
        Assert.That(result.ContentType, Does.StartWith("text/css"));
        Assert.That(css, Does.Contain(".frog-fg-1 { color:#").And.Contain(".frog-bg-3 { background-color:#"));
        Assert.That(css, Does.Not.Contain("frog-fg-4 "));
        Assert.That(css, Does.Contain(".frog-fg-ex-1").And.Contain(".frog-bg-ex-2"));
    }

    private static double ToSrgb(double linear) =>
        255 * (linear <= 0.0031308 ? linear * 12.92 : (1.055 * Math.Pow(linear, 1 / 2.4)) - 0.055);

    private static int Base83(string digits) =>
        digits.Aggregate(0, (value, c) => (value * 83) + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~".IndexOf(c, StringComparison.Ordinal));
}
