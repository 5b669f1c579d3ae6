using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>max-bytes on the corpus photos: the body always fits, quality is lowered before the picture is made smaller.</summary>
public sealed class ByteBudgetTests
{
    private static readonly string[] Photos =
    [
        "photo-garden-2560x1600.jpg",
        "photo-colorfulcups-2560x1600-progressive.jpg",
        "photo-grey-2560x1600.jpg",
        "photo-kleiber-6028x3391.jpg",
        "icc-adobergb-rocket-640x427.jpg",
        "cmyk-video-001-150x103.jpg",
        "exif-orient6-iphone-205x102.jpg",
        "webp-yellowrose-alpha-400x301.webp",
        "alpha-gopher-1000x1000.png",
    ];

    private static RenderResult Render(string file, string query)
    {
        var plan = PlanBuilder.Build(RequestParser.Parse(query).Value!).Value ?? throw new AssertionException($"'{query}' should build");
        return PlanExecutor.Render(TestImages.Corpus(file), plan, FormatChoice.Choose(plan, null, _ => true).Value!, Limits.Default);
    }

    public static IEnumerable<TestCaseData> Cases() =>
        from file in Photos
        from query in new[] { "w=800&fm=jpg&max-bytes=20000", "w=800&fm=webp&max-bytes=12000", "w=1200&fm=png&max-bytes=60000" }
        select new TestCaseData(file, query).SetName($"max-bytes met: {file} {query}");

    [TestCaseSource(nameof(Cases))]
    public void The_budget_is_met_on_every_corpus_photo(string file, string query)
    {
        var result = Render(file, query);
        var budget = int.Parse(query.Split("max-bytes=")[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(result.Bytes, Has.Length.LessThanOrEqualTo(budget));
        using var decoded = VipsImage.NewFromBuffer(result.Bytes);
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((result.Width, result.Height)), "the reported size is the real one");
        if (!result.ShrunkForBudget && result.Quality is { } q)
        {
            Assert.That(q, Is.InRange(30, 75));
        }
    }

    [Test]
    public void A_generous_budget_keeps_the_asked_quality_and_size()
    {
        var plain = Render("photo-garden-2560x1600.jpg", "w=400&fm=jpg&q=80");
        var budgeted = Render("photo-garden-2560x1600.jpg", "w=400&fm=jpg&q=80&max-bytes=10000000");
        Assert.That((budgeted.Quality, budgeted.ShrunkForBudget, budgeted.Bytes), Is.EqualTo(((int?)80, false, plain.Bytes)));
    }

    [Test]
    public void Quality_is_lowered_before_the_picture_is_shrunk()
    {
        var full = Render("photo-garden-2560x1600.jpg", "w=800&fm=jpg");
        var budget = full.Bytes.Length * 2 / 3;
        var result = Render("photo-garden-2560x1600.jpg", $"w=800&fm=jpg&max-bytes={budget}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Bytes, Has.Length.LessThanOrEqualTo(budget));
            Assert.That(result.ShrunkForBudget, Is.False);
            Assert.That((result.Width, result.Height), Is.EqualTo((800, 500)));
            Assert.That(result.Quality, Is.InRange(30, 74));
        });
    }

    [Test]
    public void Below_min_q_the_picture_is_made_smaller_and_says_so()
    {
        var atFloor = Render("photo-garden-2560x1600.jpg", "w=1200&fm=jpg&q=50");
        var budget = atFloor.Bytes.Length / 3;
        var result = Render("photo-garden-2560x1600.jpg", $"w=1200&fm=jpg&min-q=50&max-bytes={budget}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Bytes, Has.Length.LessThanOrEqualTo(budget));
            Assert.That(result.ShrunkForBudget, Is.True);
            Assert.That(result.Quality, Is.EqualTo(50), "never below min-q");
            Assert.That(result.Width, Is.LessThan(1200));
            Assert.That((double)result.Width / result.Height, Is.EqualTo(1.6).Within(0.02), "the aspect ratio is kept");
        });
    }

    [Test]
    public void An_impossible_budget_is_a_clear_422()
    {
        var ex = Assert.Throws<ImagingException>(() => Render("photo-garden-2560x1600.jpg", "w=800&fm=avif&max-bytes=256"));
        Assert.That((ex!.Error.Status, ex.Error.Message), Is.EqualTo((422, ex.Error.Message)));
        Assert.That(ex.Error.Message, Does.Contain("max-bytes=256"));
    }
}
