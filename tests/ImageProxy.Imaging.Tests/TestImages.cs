using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Imaging.Tests;

/// <summary>Fixture and corpus files, plus helpers to read an encoded result back.</summary>
internal static class TestImages
{
    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    /// <summary>The shared real-image corpus: $IMAGEPROXY_CORPUS, else the first ancestor holding shared/corpus.</summary>
    public static string? CorpusDirectory { get; } = FindCorpus();

    /// <summary>A corpus image, or an inconclusive test when the corpus is not on this machine.</summary>
    public static byte[] Corpus(string name)
    {
        if (CorpusDirectory is null)
        {
            // test.sh runs next to ../shared (as CI does): there a missing corpus is a failure, not a skip.
            if (Environment.GetEnvironmentVariable("IMAGEPROXY_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail("shared corpus not present (expected at ../shared/corpus or $IMAGEPROXY_CORPUS)");
            }

            Assert.Ignore("shared corpus not present");
        }

        return File.ReadAllBytes(Path.Combine(CorpusDirectory!, "public", name));
    }

    public static readonly byte[] RandomBytes = MakeRandom();

    /// <summary>A hand-made geometry that just resizes the whole (oriented) source to <paramref name="w"/>×<paramref name="h"/>.</summary>
    public static ResolvedGeometry Resize(SourceFacts facts, int w, int h, int orientation = 0)
    {
        var o = orientation == 0 ? facts.Orientation : orientation;
        var swap = SourceFacts.SwapsAxes(o);
        return new ResolvedGeometry
        {
            Orientation = o,
            SourceWidth = swap ? facts.Height : facts.Width,
            SourceHeight = swap ? facts.Width : facts.Height,
            ScaledWidth = w,
            ScaledHeight = h,
            CanvasWidth = w,
            CanvasHeight = h,
            OutputWidth = w,
            OutputHeight = h,
        };
    }

    public static RenderResult Run(byte[] source, ResolvedGeometry g, ImageFormat output, TransformPlan? plan = null, CancellationToken ct = default)
    {
        var facts = PlanExecutor.Probe(source);
        return PlanExecutor.Execute(source, facts, g, plan ?? TransformPlan.Default, output, autoCompress: false, EncoderSettings.Default, ct);
    }

    /// <summary>Decodes an output and reports its real layout.</summary>
    public static (int Width, int Height, int Bands, int BandFormat, int Interpretation, bool HasIcc) Inspect(byte[] encoded)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        return (image.Width, image.Height, image.Bands, (int)image.Format, (int)image.Interpretation, image.Contains("icc-profile-data"));
    }

    public static double[] Pixel(byte[] encoded, int x, int y)
    {
        using var image = VipsImage.NewFromBuffer(encoded);
        return image.Getpoint(x, y);
    }

    private static string? FindCorpus()
    {
        var env = Environment.GetEnvironmentVariable("IMAGEPROXY_CORPUS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(Path.Combine(candidate, "public")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static byte[] MakeRandom()
    {
        var bytes = new byte[5000];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
