using System.Diagnostics;
using System.Net;
using System.Text;
using ImageProxy.Imaging;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// The malformed-image corpus through the whole server: every file is refused with a 4xx (or, for damage a decoder may
/// legitimately survive, rendered) within the processing timeout; never a 5xx, never a hang, and afterwards the server
/// is healthy and libvips' memory is back to its baseline.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class MalformedImageTests
{
    private const int ProcessingTimeoutSeconds = 10;

    private HostileProxy _app = null!;
    private HttpClient _client = null!;
    private long _baselineTrackedMemory;

    [OneTimeSetUp]
    public async Task BuildCorpus()
    {
        _app = new HostileProxy(
            populate: images => File.WriteAllBytes(Path.Combine(images, "big.png"), TestImages.Png(800, 600)),
            settings: new Dictionary<string, string?> { ["ImageProxy:ProcessingTimeoutSeconds"] = ProcessingTimeoutSeconds.ToString() });
        _client = _app.CreateClient();

        // Valid seeds, encoded by the proxy itself (so the corpus needs no committed binaries).
        var jpeg = await Seed("jpg");
        var webp = await Seed("webp");
        var gif = await Seed("gif");
        var png = File.ReadAllBytes(Path.Combine(_app.Images, "big.png"));

        var corpus = new Dictionary<string, byte[]>
        {
            ["zero.jpg"] = [],
            ["zero.png"] = [],
            ["random.jpg"] = MalformedImages.RandomBytes(5000, 1),
            ["random.png"] = MalformedImages.RandomBytes(5000, 2),
            ["random.webp"] = MalformedImages.RandomBytes(5000, 3),
            ["random.gif"] = MalformedImages.RandomBytes(5000, 4),
            ["random.svg"] = MalformedImages.RandomBytes(5000, 5),
            ["magic-only.jpg"] = [0xFF, 0xD8, 0xFF, 0xE0],
            ["magic-only.png"] = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A],
            ["truncated-half.jpg"] = MalformedImages.Truncate(jpeg, 0.5),
            ["truncated-90.jpg"] = MalformedImages.Truncate(jpeg, 0.9),
            ["truncated-half.png"] = MalformedImages.Truncate(png, 0.5),
            ["truncated-half.webp"] = MalformedImages.Truncate(webp, 0.5),
            ["truncated-half.gif"] = MalformedImages.Truncate(gif, 0.5),
            ["bomb-60000.png"] = MalformedImages.PngBomb(60000, 60000),
            ["bomb-wide.png"] = MalformedImages.PngBomb(int.MaxValue, 1),
            ["bomb-65000.jpg"] = MalformedImages.JpegBomb(jpeg),
            ["bomb-16383.webp"] = MalformedImages.WebPBomb(webp),
            ["bomb-65535.gif"] = MalformedImages.GifBomb(),
            ["frames-3000.gif"] = MalformedImages.Gif(1, 1, 3000),
            ["nested-20000.svg"] = MalformedImages.NestedSvg(20000),
            ["billion-laughs.svg"] = MalformedImages.BillionLaughsSvg(),
            ["html.jpg"] = Encoding.UTF8.GetBytes("<!doctype html><script>alert(document.domain)</script>"),
            ["pdf.jpg"] = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
            ["polyglot-gif-js.gif"] = [.. "GIF89a/*"u8, .. MalformedImages.Gif(1, 1, 1)[8..], .. "*/=alert(1);//"u8],
            ["polyglot-png-html.png"] = [.. png, .. Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>")],
            ["polyglot-jpeg-zip.jpg"] = [.. jpeg, .. "PK\u0003\u0004payload.txt-zip-central-directory-POLYGLOT"u8],
        };
        for (var seed = 0; seed < 3; seed++)
        {
            corpus[$"bitflip-{seed}.jpg"] = MalformedImages.BitFlip(jpeg, seed);
            corpus[$"bitflip-{seed}.png"] = MalformedImages.BitFlip(png, seed);
            corpus[$"bitflip-{seed}.webp"] = MalformedImages.BitFlip(webp, seed);
            corpus[$"bitflip-{seed}.gif"] = MalformedImages.BitFlip(gif, seed);
        }

        foreach (var (name, bytes) in corpus)
        {
            File.WriteAllBytes(Path.Combine(_app.Images, name), bytes);
        }

        // Baseline after the seeds rendered: the steady state of a warm server.
        _baselineTrackedMemory = VipsRuntime.TrackedMemory;
    }

    private async Task<byte[]> Seed(string fm)
    {
        using var response = await _client.GetAsync($"/img/big.png?fm={fm}&q=90");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"seed {fm}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<(HttpStatusCode Status, byte[] Body, TimeSpan Elapsed)> Fetch(string name, string query = "w=50")
    {
        var started = Stopwatch.StartNew();
        using var response = await _client.GetAsync($"/img/{name}?{query}");
        var body = await response.Content.ReadAsByteArrayAsync();
        TestContext.Out.WriteLine($"{name}: {(int)response.StatusCode} in {started.ElapsedMilliseconds} ms");
        return (response.StatusCode, body, started.Elapsed);
    }

    private static void AssertWithinTimeout(TimeSpan elapsed)
        => Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(ProcessingTimeoutSeconds + 2)), "answered within the processing timeout");

    [TestCase("zero.jpg")]
    [TestCase("zero.png")]
    [TestCase("random.jpg")]
    [TestCase("random.png")]
    [TestCase("random.webp")]
    [TestCase("random.gif")]
    [TestCase("random.svg")]
    [TestCase("magic-only.jpg")]
    [TestCase("magic-only.png")]
    [TestCase("truncated-half.jpg")]
    [TestCase("truncated-90.jpg")]
    [TestCase("truncated-half.png")]
    [TestCase("truncated-half.webp")]
    [TestCase("truncated-half.gif")]
    [TestCase("bomb-60000.png")]
    [TestCase("bomb-wide.png")]
    [TestCase("bomb-65000.jpg")]
    [TestCase("bomb-16383.webp")]
    [TestCase("bomb-65535.gif")]
    [TestCase("frames-3000.gif")]
    [TestCase("billion-laughs.svg")]
    [TestCase("html.jpg")]
    [TestCase("pdf.jpg")]
    public async Task A_hostile_file_is_refused_with_a_4xx_in_time(string name)
    {
        var (status, body, elapsed) = await Fetch(name);
        Assert.That((int)status, Is.InRange(400, 499), Encoding.UTF8.GetString(body));
        AssertWithinTimeout(elapsed);
    }

    [TestCase("bomb-60000.png", "pixels")]
    [TestCase("bomb-65000.jpg", "pixels")]
    [TestCase("bomb-16383.webp", "pixels")]
    [TestCase("bomb-65535.gif", "pixels")]
    [TestCase("frames-3000.gif", "frames")]
    public async Task Bombs_are_refused_from_the_header_by_the_limits(string name, string limit)
    {
        var (status, body, elapsed) = await Fetch(name);
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(Encoding.UTF8.GetString(body), Does.Contain(limit), "the message names the limit");
        // A header read takes milliseconds; decoding 3.6 GP would take seconds (docs/libvips.md §8).
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task The_frame_limit_counts_frames_even_when_one_frame_is_rendered()
    {
        var (status, _, _) = await Fetch("frames-3000.gif", "w=1&fm=png");
        Assert.That(status, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [TestCase("bitflip-0.jpg")]
    [TestCase("bitflip-1.jpg")]
    [TestCase("bitflip-2.jpg")]
    [TestCase("bitflip-0.png")]
    [TestCase("bitflip-1.png")]
    [TestCase("bitflip-2.png")]
    [TestCase("bitflip-0.webp")]
    [TestCase("bitflip-1.webp")]
    [TestCase("bitflip-2.webp")]
    [TestCase("bitflip-0.gif")]
    [TestCase("bitflip-1.gif")]
    [TestCase("bitflip-2.gif")]
    [TestCase("nested-20000.svg")]
    public async Task Damaged_data_is_refused_or_decoded_but_never_a_server_error(string name)
    {
        // A flipped bit inside entropy-coded data can still decode (to wrong pixels), and a JPEG that still ends with
        // its EOI marker is not truncated; what must never happen is a 5xx, a hang or a crash.
        var (status, _, elapsed) = await Fetch(name);
        Assert.That((int)status, Is.EqualTo(200).Or.InRange(400, 499));
        AssertWithinTimeout(elapsed);
    }

    [TestCase("polyglot-gif-js.gif", "alert(1)")]
    [TestCase("polyglot-png-html.png", "<script>")]
    [TestCase("polyglot-jpeg-zip.jpg", "POLYGLOT")]
    public async Task A_polyglot_is_never_passed_through(string name, string payload)
    {
        // Either refused, or re-encoded from pixels: the trailing payload cannot survive a decode/encode round trip.
        var (status, body, elapsed) = await Fetch(name, "w=50&fm=png");
        Assert.That((int)status, Is.EqualTo(200).Or.InRange(400, 499));
        if (status == HttpStatusCode.OK)
        {
            Assert.That(Encoding.Latin1.GetString(body), Does.Not.Contain(payload));
        }

        AssertWithinTimeout(elapsed);
    }

    [Test]
    [Order(1000)]
    public async Task After_the_corpus_the_server_is_healthy_and_libvips_memory_is_back_to_baseline()
    {
        // Run the whole corpus twice more, concurrently, to shake out leaks that only show up in volume.
        var names = Directory.GetFiles(_app.Images).Select(Path.GetFileName).Where(n => n != "big.png").ToArray();
        for (var round = 0; round < 2; round++)
        {
            await Task.WhenAll(names.Select(async n =>
            {
                using var response = await _client.GetAsync($"/img/{n}?w=40");
                Assert.That((int)response.StatusCode, Is.LessThan(500), n);
            }));
        }

        using var ready = await _client.GetAsync("/_imageproxy/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // libvips' own allocator: with the operation cache off nothing should outlive its request.
        var after = VipsRuntime.TrackedMemory;
        TestContext.Out.WriteLine($"libvips tracked memory: baseline {_baselineTrackedMemory} B, after {after} B; allocations {VipsRuntime.TrackedAllocations}");
        Assert.That(after, Is.LessThanOrEqualTo(_baselineTrackedMemory + 1024 * 1024));
    }
}
