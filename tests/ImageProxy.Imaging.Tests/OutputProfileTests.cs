using System.Buffers.Binary;
using System.Text;
using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NetVips;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>
/// cs and iptc: the profile each output carries (read back with libvips), what lcms makes of the pixels with it, and the
/// IPTC block a JPEG keeps.
/// </summary>
public sealed class OutputProfileTests
{
    private static readonly FormatDecision Png = new(ImageFormat.Png, false);
    private static readonly FormatDecision Jpeg = new(ImageFormat.Jpeg, false);
    private static readonly FormatDecision WebP = new(ImageFormat.WebP, false);

    private static byte[] Render(byte[] source, string query, FormatDecision format) => SurfaceRenderTests.Render(source, query, format);

    private static byte[]? Profile(byte[] encoded)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        return image.Contains("icc-profile-data") ? (byte[])image.Get("icc-profile-data") : null;
    }

    /// <summary>Four sRGB patches side by side, 8 px each: red, green, blue, mid grey.</summary>
    private static readonly double[][] Patches = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [128, 128, 128]];

    private static byte[] PatchPng()
    {
        VipsImage? strip = null;
        foreach (var color in Patches)
        {
            using var black = VipsImage.Black(8, 8, 3);
            using var patch = black.Linear([1, 1, 1], color, uchar: true);
            var joined = strip is null ? patch.Copy() : strip.Join(patch, Enums.Direction.Horizontal);
            strip?.Dispose();
            strip = joined;
        }

        using var tagged = strip!.Copy(interpretation: Enums.Interpretation.Srgb);
        strip.Dispose();
        return tagged.PngsaveBuffer();
    }

    private static string Space(byte[] profile) => Encoding.ASCII.GetString(profile, 16, 4);

    /// <summary>The XYZ numbers of a tag (rXYZ, …) read from the profile's tag table.</summary>
    private static double[] TagXyz(byte[] profile, string signature)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(profile.AsSpan(128));
        for (var i = 0; i < count; i++)
        {
            var entry = profile.AsSpan(132 + (12 * i));
            if (Encoding.ASCII.GetString(entry[..4]) == signature)
            {
                var offset = BinaryPrimitives.ReadInt32BigEndian(entry[4..]);
                return [.. Enumerable.Range(0, 3).Select(k => BinaryPrimitives.ReadInt32BigEndian(profile.AsSpan(offset + 8 + (4 * k))) / 65536.0)];
            }
        }

        throw new AssertionException($"no {signature} tag");
    }

    [Test]
    public void Without_cs_and_with_strip_the_output_has_no_profile_and_the_same_bytes()
    {
        var source = TestImages.Corpus("icc-adobergb-rocket-640x427.jpg");
        var plain = Render(source, "w=200", Jpeg);
        Assert.That(Profile(plain), Is.Null);
        Assert.That(Render(source, "w=200&cs=strip", Jpeg), Is.EqualTo(plain));
    }

    [TestCase("jpg")]
    [TestCase("png")]
    [TestCase("webp")]
    public void Cs_srgb_embeds_libvips_srgb_profile_and_leaves_the_pixels(string fm)
    {
        var format = fm switch { "jpg" => Jpeg, "png" => Png, _ => WebP };
        var source = TestImages.Fixture("photo.jpg");
        var tagged = Render(source, "w=100&cs=srgb", format);
        Assert.That(Profile(tagged), Is.EqualTo(VipsImage.ProfileLoad("srgb")));

        using var withProfile = VipsImage.NewFromBuffer(tagged);
        using var without = VipsImage.NewFromBuffer(Render(source, "w=100", format));
        using var difference = withProfile.Subtract(without).Abs();
        Assert.That(difference.Max(), Is.Zero, "only the profile differs");
    }

    [Test]
    public void Cs_tinysrgb_embeds_a_compact_srgb_profile_that_lcms_reads_as_srgb()
    {
        var output = Render(PatchPng(), "cs=tinysrgb", Png);
        var profile = Profile(output)!;
        Assert.That(profile, Is.EqualTo(IccProfiles.TinySrgb));
        Assert.That(profile.Length, Is.LessThan(600));
        Assert.That(Space(profile), Is.EqualTo("RGB "));
        // sRGB's published D50 colorants (ICC sRGB profiles: 0.4361 0.2225 0.0139 / 0.3851 0.7169 0.0971 / 0.1431 0.0606 0.7141).
        Assert.That(TagXyz(profile, "rXYZ"), Is.EqualTo(new[] { 0.4361, 0.2225, 0.0139 }).Within(0.0005));
        Assert.That(TagXyz(profile, "gXYZ"), Is.EqualTo(new[] { 0.3851, 0.7169, 0.0971 }).Within(0.0005));
        Assert.That(TagXyz(profile, "bXYZ"), Is.EqualTo(new[] { 0.1431, 0.0606, 0.7141 }).Within(0.0005));

        // lcms (libvips icc_transform) converts the tagged output to its full sRGB: the values stay where they were.
        using var tagged = VipsImage.NewFromBuffer(output);
        using var srgb = tagged.IccTransform("srgb", embedded: true, intent: Enums.Intent.Relative, depth: 8);
        for (var i = 0; i < Patches.Length; i++)
        {
            Assert.That(srgb.Getpoint((8 * i) + 4, 4), Is.EqualTo(Patches[i]).Within(1), $"patch {i}");
        }
    }

    [Test]
    public void Cs_adobergb1998_converts_the_pixels_and_embeds_a_matching_profile()
    {
        var output = Render(PatchPng(), "cs=adobergb1998", Png);
        var profile = Profile(output)!;
        Assert.That(profile, Is.EqualTo(IccProfiles.AdobeRgb1998));
        Assert.That(Space(profile), Is.EqualTo("RGB "));
        // Adobe RGB (1998)'s D50 colorants as Adobe's own profile carries them.
        Assert.That(TagXyz(profile, "rXYZ"), Is.EqualTo(new[] { 0.6097, 0.3111, 0.0195 }).Within(0.0005));
        Assert.That(TagXyz(profile, "gXYZ"), Is.EqualTo(new[] { 0.2053, 0.6257, 0.0609 }).Within(0.0005));
        Assert.That(TagXyz(profile, "bXYZ"), Is.EqualTo(new[] { 0.1492, 0.0632, 0.7446 }).Within(0.0005));

        using var converted = VipsImage.NewFromBuffer(output);
        // Published sRGB → Adobe RGB (1998) values: pure sRGB red, green and blue lie inside Adobe RGB, grey stays grey.
        double[][] expected = [[219, 0, 0], [142, 255, 60], [0, 0, 250], [128, 128, 128]];
        for (var i = 0; i < Patches.Length; i++)
        {
            Assert.That(converted.Getpoint((8 * i) + 4, 4), Is.EqualTo(expected[i]).Within(2), $"patch {i}");
        }

        // And lcms, reading the embedded profile, takes the pixels back to the sRGB patches.
        using var back = converted.IccTransform("srgb", embedded: true, intent: Enums.Intent.Relative, depth: 8);
        for (var i = 0; i < Patches.Length; i++)
        {
            Assert.That(back.Getpoint((8 * i) + 4, 4), Is.EqualTo(Patches[i]).Within(2), $"patch {i} back");
        }
    }

    [Test]
    public void Cs_origin_keeps_the_sources_profile_and_its_pixel_values()
    {
        var source = TestImages.Corpus("icc-adobergb-rocket-640x427.jpg");
        using var loaded = VipsImage.NewFromBuffer(source);
        var sourceProfile = (byte[])loaded.Get("icc-profile-data");

        var origin = Render(source, "w=160&cs=origin", Png);
        Assert.That(Profile(origin), Is.EqualTo(sourceProfile));

        // The pixels are the source's Adobe RGB values (resized), not converted: lcms takes them to the same sRGB that the
        // default output holds, while the raw values differ from it.
        using var kept = VipsImage.NewFromBuffer(origin);
        using var asSrgb = kept.IccTransform("srgb", embedded: true, intent: Enums.Intent.Relative, depth: 8);
        using var plain = VipsImage.NewFromBuffer(Render(source, "w=160", Png));
        using var afterLcms = asSrgb.Subtract(plain).Abs();
        using var raw = kept.Subtract(plain).Abs();
        Assert.That(afterLcms.Avg(), Is.LessThan(1.0));
        Assert.That(raw.Avg(), Is.GreaterThan(3 * afterLcms.Avg()) & Is.GreaterThan(2.0));
    }

    [TestCase("photo.jpg")]
    [TestCase("cmyk.jpg")]
    public void Cs_origin_on_a_source_without_an_rgb_profile_gives_unlabelled_srgb(string fixture)
    {
        var source = TestImages.Fixture(fixture);
        var origin = Render(source, "w=64&cs=origin", Png);
        Assert.That(Profile(origin), Is.Null);
        Assert.That(origin, Is.EqualTo(Render(source, "w=64", Png)));
    }

    [Test]
    public void Cs_srgb_on_a_grey_source_gives_rgb_pixels_for_the_rgb_profile()
    {
        var output = Render(TestImages.Corpus("gray-camera-512x512.png"), "w=64&cs=srgb", Png);
        using var image = VipsImage.NewFromBuffer(output);
        Assert.That(image.Bands, Is.EqualTo(3));
        Assert.That(Space(Profile(output)!), Is.EqualTo("RGB "));
    }

    [Test]
    public void Cs_keeps_no_other_source_metadata()
    {
        // orient6.jpg carries EXIF with orientation 6: a kept orientation tag would turn the upright output again.
        var output = Render(TestImages.Fixture("orient6.jpg"), "w=50&cs=srgb", Jpeg);
        using var image = VipsImage.NewFromBuffer(output);
        Assert.That(image.Contains("icc-profile-data"), Is.True);
        Assert.That(image.GetFields().Where(f => f is "xmp-data" or "iptc-data"), Is.Empty);
        // libvips 8.15+ writes no EXIF at all; Debian's 8.14 writes a fresh block of its own (resolution, orientation 1)
        // whenever anything is kept. Either way nothing of the iPhone's (camera, GPS) and no turn.
        Assert.That(image.GetFields().Where(f => f.StartsWith("exif-ifd0-Make", StringComparison.Ordinal) || f.StartsWith("exif-ifd3", StringComparison.Ordinal)), Is.Empty);
        Assert.That(image.Contains("orientation") ? image.Get("orientation") : 1, Is.EqualTo(1));
    }

    [Test]
    public void Cs_and_dpi_together_give_the_profile_and_the_resolution()
    {
        var output = Render(TestImages.Fixture("photo.jpg"), "w=50&cs=tinysrgb&dpi=300", Jpeg);
        using var image = VipsImage.NewFromBuffer(output);
        Assert.That(Profile(output), Is.EqualTo(IccProfiles.TinySrgb));
        Assert.That(image.Xres * 25.4, Is.EqualTo(300).Within(0.5));
    }

    // ---- iptc ----

    private static byte[] IptcSource => TestImages.Corpus("iptc-garden-320x200.jpg");

    private static byte[]? Iptc(byte[] encoded)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        return image.Contains("iptc-data") ? (byte[])image.Get("iptc-data") : null;
    }

    [Test]
    public void Iptc_allow_keeps_the_sources_iptc_block_in_a_jpeg()
    {
        var sourceIptc = Iptc(IptcSource)!;
        Assert.That(Encoding.UTF8.GetString(sourceIptc), Does.Contain("ImageProxy IPTC fixture: garden"), "fixture");

        var output = Render(IptcSource, "w=100&iptc=allow", Jpeg);
        Assert.That(Iptc(output), Is.EqualTo(sourceIptc));
        using var image = VipsImage.NewFromBuffer(output);
        // The fixture's EXIF stays out (Debian's libvips 8.14 writes a fresh block of its own whenever anything is kept).
        if (NetVips.NetVips.AtLeastLibvips(8, 15))
        {
            Assert.That(image.GetFields().Where(f => f.StartsWith("exif", StringComparison.Ordinal)), Is.Empty, "the source's EXIF stays out");
        }
    }

    [TestCase("w=100")]
    [TestCase("w=100&iptc=block")]
    [TestCase("w=100&cs=srgb")]
    public void Without_iptc_allow_the_block_is_stripped(string query) =>
        Assert.That(Iptc(Render(IptcSource, query, Jpeg)), Is.Null);

    [Test]
    public void Iptc_allow_with_dpi_and_cs_keeps_all_three()
    {
        var output = Render(IptcSource, "w=100&iptc=allow&dpi=150&cs=srgb", Jpeg);
        using var image = VipsImage.NewFromBuffer(output);
        Assert.That(Iptc(output), Is.EqualTo(Iptc(IptcSource)));
        Assert.That(Profile(output), Is.Not.Null);
        Assert.That(image.Xres * 25.4, Is.EqualTo(150).Within(0.5));
    }

    [Test]
    public void Iptc_allow_applies_to_jpeg_only() =>
        Assert.That(Iptc(Render(IptcSource, "w=100&iptc=allow", Png)), Is.Null);
}
