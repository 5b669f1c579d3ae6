using System.Net;
using System.Text.Json;
using ImageProxy.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ImageProxy.Server.Tests.Browser;

/// <summary>
/// What page authors see, in Debian's Chromium: the playground, srcset selection at real viewports and densities,
/// auto=format, and client hints. The server is the built binary on samples/sources.json with --playground (what
/// ./run.sh runs); the srcset and hint pages come from a small Kestrel host on another port, as a real site would.
/// </summary>
[TestFixture]
[Category("Browser")]
[NonParallelizable]
public sealed class PageAuthorBrowserTests
{
    private const string Photo = "garden-1600x1000.jpg";
    private const int PhotoWidth = 1600;
    private const string DemoToken = "imageproxy-demo-token"; // samples/sources.json, the /signed source

    private string _temp = "";
    private ServerProcess? _server;
    private WebApplication? _pages;
    private string _pagesOrigin = "";
    private HeadlessChromium? _chromium;

    [OneTimeSetUp]
    public async Task Start()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        _temp = Directory.CreateTempSubdirectory("imageproxy-pageauthors-").FullName;
        _server = await ServerProcess.StartAsync(
            "--sources", Path.Combine(RepositoryPaths.Root, "samples/sources.json"), "--cache-dir", Path.Combine(_temp, "cache"), "--playground");
        await StartPagesAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_pages is not null) await _pages.DisposeAsync();
        _server?.Dispose();
        if (_temp.Length > 0) Directory.Delete(_temp, recursive: true);
    }

    private string ServerOrigin => $"http://127.0.0.1:{_server!.Port}";

    [Test]
    public async Task The_playground_loads_cleanly_and_w_updates_the_preview_and_the_url()
    {
        await using var context = await _chromium!.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = CollectConsoleErrors(page);

        await page.GotoAsync($"{ServerOrigin}/_imageproxy/playground#/samples/{Photo}");
        await page.WaitForSelectorAsync("#after[data-status='200']");
        var controls = await page.Locator("#controls input").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.name)");
        Assert.That(controls, Is.EqualTo(Transform.Parameters.All.Select(p => p.Name).ToArray()), "one control per row of the server's parameter table, in order");

        await page.FillAsync("#controls input[name='w']", "237");
        await page.WaitForSelectorAsync("#after[data-width='237']");
        Assert.That(await page.TextContentAsync("#url"), Is.EqualTo($"/samples/{Photo}?w=237"));
        Assert.That(await page.GetAttributeAsync("#after", "data-height"), Is.EqualTo("148"));
        Assert.That(await page.TextContentAsync("#after .info"), Does.Contain("237×148").And.Contain("bytes").And.Contain("server "));
        Assert.That(await page.GetAttributeAsync("#before", "data-width"), Is.EqualTo(PhotoWidth.ToString()));
        Assert.That(await page.Locator("#srcset tbody tr").CountAsync(), Is.EqualTo(6), "3 viewports × 2 DPRs");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task The_playground_signs_in_the_page_and_the_token_is_never_sent()
    {
        await using var context = await _chromium!.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = CollectConsoleErrors(page);
        var sent = new List<string>();
        page.Request += (_, request) =>
        {
            lock (sent) sent.Add(request.Url + " " + string.Join(" ", request.Headers.Values) + " " + request.PostData);
        };

        await page.GotoAsync($"{ServerOrigin}/_imageproxy/playground#/signed/{Photo}?w=120");
        await page.WaitForSelectorAsync("#token-label:not([hidden])");
        await page.WaitForFunctionAsync("() => document.querySelector('#after .info').textContent.includes('token')");
        await page.FillAsync("#token", DemoToken);
        await page.WaitForSelectorAsync("#after[data-status='200'][data-width='120']");

        var url = await page.TextContentAsync("#url");
        Assert.That(url, Does.StartWith($"/signed/{Photo}?w=120&s="));
        Assert.That(url, Is.EqualTo(new ImageUrlBuilder(new ImageUrlOptions { SecureToken = DemoToken }).BuildUrl($"/signed/{Photo}", [new("w", "120")])),
            "the page's MD5 signs exactly as the .NET client does");
        lock (sent)
        {
            Assert.That(sent, Is.Not.Empty);
            Assert.That(sent.Where(s => s.Contains(DemoToken, StringComparison.Ordinal)), Is.Empty);
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task Auto_format_gives_chromium_avif_or_webp_and_the_playground_shows_it()
    {
        await using var context = await _chromium!.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{ServerOrigin}/_imageproxy/playground#/samples/{Photo}?w=200&auto=format");
        await page.WaitForSelectorAsync("#after[data-width='200']");

        var type = await page.GetAttributeAsync("#after", "data-type");
        Assert.That(type, Is.EqualTo("image/avif").Or.EqualTo("image/webp"));
        Assert.That(await page.TextContentAsync("#after .info"), Does.StartWith(type!.Replace("image/", "")));

        // And a plain <img>: what Chromium's own Accept header negotiates.
        var image = await page.RunAndWaitForResponseAsync(
            () => page.GotoAsync($"{_pagesOrigin}/plain?src={Uri.EscapeDataString($"{ServerOrigin}/samples/{Photo}?w=201&auto=format")}"),
            r => r.Url.StartsWith(ServerOrigin, StringComparison.Ordinal));
        Assert.That(image.Status, Is.EqualTo(200));
        Assert.That(await image.HeaderValueAsync("content-type"), Is.EqualTo("image/avif").Or.EqualTo("image/webp"));
        Assert.That(await image.HeaderValueAsync("vary"), Does.Contain("Accept"));
    }

    public static IEnumerable<TestCaseData> Viewports() =>
        from width in new[] { 375, 768, 1440 }
        from dpr in new[] { 1, 2 }
        select new TestCaseData(width, dpr).SetName($"srcset at {width} CSS px × DPR {dpr}");

    [TestCaseSource(nameof(Viewports))]
    public async Task Srcset_selection_matches_the_standard(int viewport, int dpr)
    {
        await using var context = await _chromium!.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = viewport, Height = 800 },
            DeviceScaleFactor = dpr,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_pagesOrigin}/srcset?server={Uri.EscapeDataString(ServerOrigin)}");
        await page.WaitForFunctionAsync("() => window.result !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var result = JsonSerializer.Deserialize<JsonElement>(await page.EvaluateAsync<string>("() => JSON.stringify(window.result)"));

        var widths = SrcsetBuilder.TargetWidths(100, PhotoWidth, SrcsetBuilder.DefaultWidthTolerance);
        var expected = PickCandidate(widths, viewport, dpr);
        var currentSrc = result.GetProperty("currentSrc").GetString()!;
        Assert.That(currentSrc, Does.StartWith($"{ServerOrigin}/samples/{Photo}?"));
        Assert.That(QueryWidth(currentSrc), Is.EqualTo(expected), $"{viewport}×{dpr} needs {viewport * dpr} device px; candidates {string.Join(",", widths)}");
        Assert.That(result.GetProperty("decodedWidth").GetInt32(), Is.EqualTo(expected), "the image the server sent is as wide as its descriptor");
    }

    [Test]
    public async Task Client_hints_round_trip_to_the_bucketed_width()
    {
        await using var context = await _chromium!.Browser.NewContextAsync(new BrowserNewContextOptions { DeviceScaleFactor = 2 });
        var page = await context.NewPageAsync();
        var hinted = new Dictionary<string, (IRequest Request, IResponse Response)>();
        page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(ServerOrigin, StringComparison.Ordinal))
                lock (hinted) hinted[new Uri(response.Url).Query] = (response.Request, response);
        };

        await page.GotoAsync($"{_pagesOrigin}/hints?server={Uri.EscapeDataString(ServerOrigin)}");
        await page.WaitForFunctionAsync("() => window.result !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var result = JsonSerializer.Deserialize<JsonElement>(await page.EvaluateAsync<string>("() => JSON.stringify(window.result)"));

        (IRequest Request, IResponse Response) width, density;
        lock (hinted)
        {
            width = hinted.Single(h => h.Key.Contains("ch=Width", StringComparison.Ordinal)).Value;
            density = hinted.Single(h => h.Key.Contains("ch=DPR", StringComparison.Ordinal)).Value;
        }

        // <img sizes="300px"> at DPR 2: Chromium sends 600 device px; the server answers the next bucket up.
        var widthHeaders = await width.Request.AllHeadersAsync();
        Assert.That(widthHeaders.GetValueOrDefault("sec-ch-width"), Is.EqualTo("600"), string.Join(", ", widthHeaders.Keys));
        var bucket = ClientHintsBucket(600);
        Assert.That(TestImages.Dimensions(await width.Response.BodyAsync())?.Width, Is.EqualTo(bucket));
        Assert.That(result.GetProperty("width").GetInt32(), Is.EqualTo(bucket));
        Assert.That(await width.Response.HeaderValueAsync("vary"), Is.EqualTo("Sec-CH-Width"));
        Assert.That(await width.Response.HeaderValueAsync("accept-ch"), Does.Contain("Sec-CH-Width"));

        // A DPR hint alone multiplies w=100.
        var densityHeaders = await density.Request.AllHeadersAsync();
        Assert.That(densityHeaders.GetValueOrDefault("sec-ch-dpr"), Is.EqualTo("2"));
        Assert.That(TestImages.Dimensions(await density.Response.BodyAsync())?.Width, Is.EqualTo(200));
        Assert.That(await density.Response.HeaderValueAsync("content-dpr"), Is.EqualTo("2"));
        // Chromium honours Content-DPR: the 200 px image keeps the 100 CSS px intrinsic width the URL asked for.
        Assert.That(result.GetProperty("dpr").GetInt32(), Is.EqualTo(100));
    }

    private static int ClientHintsBucket(int width) => Transform.ClientHints.SnapUp(width, SrcsetBuilder.DefaultWidths);

    /// <summary>
    /// The HTML standard lets the browser choose among candidates; Chromium documents its rule (Blink's srcset selection):
    /// with candidates sorted by density (width / source size), take the first whose density reaches the DPR, except
    /// that above DPR 1 the one just below is kept when the DPR is under the geometric mean of the two densities.
    /// </summary>
    private static int PickCandidate(IReadOnlyList<int> widths, int sourceSize, double dpr)
    {
        var densities = widths.Select(w => (Width: w, Density: (double)w / sourceSize)).ToList();
        for (var i = 0; i < densities.Count - 1; i++)
        {
            var next = densities[i + 1];
            if (next.Density < dpr)
            {
                continue;
            }

            var current = densities[i];
            var geometricMean = Math.Sqrt(current.Density * next.Density);
            return (dpr <= 1 && dpr > current.Density) || dpr >= geometricMean ? next.Width : current.Width;
        }

        return densities[^1].Width;
    }

    private static int QueryWidth(string url) => int.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["w"]!);

    private static List<string> CollectConsoleErrors(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
                lock (problems) problems.Add($"console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) =>
        {
            lock (problems) problems.Add($"page error: {error}");
        };
        return problems;
    }

    private async Task StartPagesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _pages = builder.Build();
        _pages.MapGet("/plain", (string src) => Results.Content(
            $"<!doctype html><meta charset=utf-8><title>plain</title><img src=\"{WebUtility.HtmlEncode(src)}\" alt=\"\">", "text/html"));
        _pages.MapGet("/srcset", (string server) =>
        {
            // The .NET client writes the srcset: fluid widths up to the photo's width, sizes=100vw.
            var srcset = new SrcsetBuilder(new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = server }))
                .Build($"/samples/{Photo}", [], new SrcsetOptions { MaxWidth = PhotoWidth });
            return Results.Content(MeasuringPage($"<img id=\"image\" alt=\"\" sizes=\"100vw\" srcset=\"{WebUtility.HtmlEncode(srcset)}\">",
                "window.result = { currentSrc: image.currentSrc, decodedWidth: await decodedWidth(image.currentSrc) };"), "text/html");
        });
        _pages.MapGet("/hints", (HttpContext context, string server) =>
        {
            // The page opts in (Accept-CH) and delegates the hints to the image server's origin (Permissions-Policy).
            context.Response.Headers["Accept-CH"] = "Sec-CH-Width, Sec-CH-DPR";
            context.Response.Headers["Permissions-Policy"] = $"ch-width=(self \"{server}\"), ch-dpr=(self \"{server}\")";
            var src = $"{server}/samples/{Photo}";
            return Results.Content(MeasuringPage(
                $"<img id=\"width\" alt=\"\" sizes=\"300px\" src=\"{src}?w=50&amp;ch=Width,DPR\"><img id=\"dpr\" alt=\"\" src=\"{src}?w=100&amp;ch=DPR\">",
                "window.result = { width: await decodedWidth(width.currentSrc), dpr: await decodedWidth(dpr.currentSrc) };"), "text/html");
        });
        await _pages.StartAsync();
        _pagesOrigin = _pages.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    /// <summary>A page that waits for every image, then runs <paramref name="report"/> (which sets window.result).</summary>
    private static string MeasuringPage(string images, string report) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>measure</title>
        <style>body { margin: 0 } img { display: block; width: 100vw }</style></head>
        <body>{{images}}
        <script>
        // naturalWidth is density-corrected for srcset images; a plain Image of the same URL gives the decoded pixels.
        async function decodedWidth(url) { const plain = new Image(); plain.src = url; await plain.decode(); return plain.naturalWidth; }
        Promise.all([...document.images].map((img) => img.decode())).then(async () => { {{report}} });
        </script></body></html>
        """;
}
