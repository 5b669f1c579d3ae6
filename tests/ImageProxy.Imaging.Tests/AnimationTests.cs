using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>Animated GIF in, animated GIF or WebP out: frames kept, resized, selected, timed; budgets refuse clearly.</summary>
public sealed class AnimationTests
{
    private const string Gif = "anim-nburling-238x372.gif";

    private static byte[] Source => TestImages.Corpus(Gif);

    private static RenderResult Render(string query, string? accept = null, Limits? limits = null)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value ?? throw new AssertionException($"'{query}' should build");
        return PlanExecutor.Render(Source, plan, FormatChoice.Choose(plan, accept, _ => true).Value!, limits ?? Limits.Default);
    }

    /// <summary>All frames of an encoded result, as one tall image with its animation fields.</summary>
    private static VipsImage Frames(byte[] encoded) =>
        encoded.AsSpan().StartsWith("GIF"u8) || encoded.AsSpan(8).StartsWith("WEBP"u8)
            ? VipsImage.NewFromBuffer(encoded, kwargs: new NetVips.VOption { { "n", -1 } })
            : VipsImage.NewFromBuffer(encoded);

    private static int Pages(VipsImage image) => image.Contains("n-pages") ? (int)image.Get("n-pages") : 1;

    private static int SourceFrames => Pages(Frames(Source));

    [Test]
    public void An_animated_gif_stays_animated_with_every_frame_resized()
    {
        var result = Render("w=100&fm=gif");
        using var frames = Frames(result.Bytes);
        Assert.That(SourceFrames, Is.GreaterThan(2), "the corpus GIF is animated");
        Assert.Multiple(() =>
        {
            Assert.That(Pages(frames), Is.EqualTo(SourceFrames));
            Assert.That(frames.Width, Is.EqualTo(100));
            Assert.That((int)frames.Get("page-height"), Is.EqualTo(156).Within(1), "372 × 100/238");
            Assert.That((result.Width, result.Height), Is.EqualTo((100, (int)frames.Get("page-height"))));
        });
    }

    [Test]
    public void Without_fm_the_gif_stays_a_gif_and_stays_animated()
    {
        var result = Render("w=80");
        using var frames = Frames(result.Bytes);
        Assert.That((result.Format, Pages(frames)), Is.EqualTo((ImageFormat.Gif, SourceFrames)));
    }

    [TestCase("image/avif,image/webp,*/*", ImageFormat.WebP)]
    [TestCase("image/avif,*/*", ImageFormat.Gif)]
    [TestCase("*/*", ImageFormat.Gif)]
    public void Auto_format_keeps_the_animation(string accept, ImageFormat expected)
    {
        var result = Render("w=80&auto=format", accept);
        using var frames = Frames(result.Bytes);
        Assert.That((result.Format, Pages(frames)), Is.EqualTo((expected, SourceFrames)));
    }

    [Test]
    public void Frame_one_gives_one_frame_and_a_jpeg_gets_the_first_frame()
    {
        using var one = Frames(Render("w=100&fm=gif&frame=1").Bytes);
        using var jpeg = Frames(Render("w=100&fm=jpg").Bytes);
        Assert.That((Pages(one), Pages(jpeg)), Is.EqualTo((1, 1)));
    }

    [Test]
    public void Frame_ranges_interval_and_skip_select_frames()
    {
        var n = SourceFrames;
        Assert.Multiple(() =>
        {
            Assert.That(Pages(Frames(Render("w=60&fm=gif&frame=2:3").Bytes)), Is.EqualTo(2));
            Assert.That(Pages(Frames(Render("w=60&fm=gif&interval=2").Bytes)), Is.EqualTo((n + 1) / 2));
            Assert.That(Pages(Frames(Render("w=60&fm=gif&skip=2").Bytes)), Is.EqualTo(n - ((n + 1) / 2)));
        });
    }

    [Test]
    public void Reverse_plays_the_last_frame_first()
    {
        using var forward = Frames(Render("w=60&fm=png&frame=" + SourceFrames).Bytes);
        using var reversed = Frames(Render("w=60&fm=png&reverse=1").Bytes);
        using var difference = (forward - reversed).Abs();
        Assert.That(difference.Max(), Is.LessThanOrEqualTo(1), "frame N alone equals the first frame of the reversed animation");
        using var first = Frames(Render("w=60&fm=png").Bytes);
        using var other = (first - reversed).Abs();
        Assert.That(other.Max(), Is.GreaterThan(10), "and differs from the first frame");
    }

    [Test]
    public void Fps_and_loop_set_the_timing()
    {
        using var frames = Frames(Render("w=60&fm=gif&fps=20&loop=3").Bytes);
        var delays = (int[])frames.Get("delay");
        Assert.That(delays, Has.All.EqualTo(50));
        Assert.That((int)frames.Get("loop"), Is.EqualTo(3));
    }

    [Test]
    public void A_webp_output_is_animated_too()
    {
        using var frames = Frames(Render("w=60&fm=webp").Bytes);
        Assert.That(Pages(frames), Is.EqualTo(SourceFrames));
    }

    [Test]
    public void The_pixel_budget_over_all_frames_is_a_422()
    {
        var n = SourceFrames;
        // Room for the source's frames (238×372 each), not for every frame enlarged to 300×469.
        var limits = Limits.Default with { MaxAnimationPixels = n * 238L * 372 };
        var ex = Assert.Throws<ImagingException>(() => Render("w=300&fm=gif", limits: limits));
        Assert.That(ex!.Error.Status, Is.EqualTo(422));
        Assert.That(ex.Error.Message, Does.Contain("MaxAnimationPixels"));
        Assert.That(Pages(Frames(Render("w=300&fm=gif&frame=1", limits: limits).Bytes)), Is.EqualTo(1), "one frame fits");
    }

    [Test]
    public void The_frame_cap_is_a_422_and_a_frame_past_the_end_a_400()
    {
        var capped = Assert.Throws<ImagingException>(() => Render("w=60&fm=gif", limits: Limits.Default with { MaxSourceFrames = 2 }));
        var past = Assert.Throws<ImagingException>(() => Render("w=60&fm=gif&frame=" + (SourceFrames + 1)));
        Assert.That((capped!.Error.Status, past!.Error.Status), Is.EqualTo((422, 400)));
        Assert.That(past.Error.Message, Does.Contain("'frame'"));
    }
}
