using System.Text.Json;
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
/// End to end in a real browser: the official imgix client (@imgix/js-core's browser build) builds SIGNED srcsets
/// against the real server process, Chromium picks a candidate for the viewport, and the server must answer it
/// with 200 and an image of exactly the requested width.
/// </summary>
/// <remarks>
/// The server runs as its own process (`dotnet ImageProxy.Server.dll --urls … --sources …`, the same command line
/// as run.sh) so the test goes through a real socket and the real start-up path. The page comes from a tiny Kestrel
/// app on another port, so the images are cross-origin as they are on a real site. Chromium is Debian's
/// (/usr/bin/chromium, or $IMAGEPROXY_CHROMIUM); no browser is downloaded.
/// </remarks>
[TestFixture]
[Category("Browser")]
[NonParallelizable]
public sealed class SrcsetBrowserTests
{
    private const string Token = "browser-test-token-Zq8";
    private const string ImageName = "garden photo.jpg"; // a space, so path encoding is exercised end to end
    private const int SourceWidth = 1600;                 // samples/garden-1600x1000.jpg
    // js-core only accepts a bare host name as its domain. The signature covers path + query only,
    // so the page swaps this placeholder origin for the server's real one after building the URLs.
    private const string ClientDomain = "imageproxy.test";

    private string _temp = "";
    private ServerProcess? _server;
    private string _serverOrigin = "";
    private WebApplication? _pageHost;
    private string _pageOrigin = "";
    private HeadlessChromium? _chromium;

    [OneTimeSetUp]
    public async Task StartEverything()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        var root = RepositoryPaths.Root;
        var jsCore = RequiredService.File(
            Path.Combine(root, "tests/vectors/node_modules/@imgix/js-core/dist/imgix-js-core.umd.js"),
            "run `npm ci` in tests/vectors (test.sh does)");

        // A signed folder source over a temp folder holding one real photo.
        _temp = Directory.CreateTempSubdirectory("imageproxy-browser-").FullName;
        var images = Directory.CreateDirectory(Path.Combine(_temp, "images")).FullName;
        File.Copy(Path.Combine(root, "samples/garden-1600x1000.jpg"), Path.Combine(images, ImageName));
        var sourcesFile = Path.Combine(_temp, "sources.json");
        await File.WriteAllTextAsync(sourcesFile, JsonSerializer.Serialize(new
        {
            sources = new object[]
            {
                new
                {
                    name = "photos",
                    pathPrefix = "/photos",
                    kind = "folder",
                    folder = new { root = "images" },
                    secureTokens = new[] { Token },
                    defaultParams = new { },
                    cacheMaxAge = 60,
                },
            },
        }));

        // The built binary with run.sh's command line, through a real socket and the real start-up path.
        _server = await ServerProcess.StartAsync("--sources", sourcesFile, "--cache-dir", Path.Combine(_temp, "cache"));
        _serverOrigin = $"http://127.0.0.1:{_server.Port}";
        await StartPageHostAsync(jsCore);
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_chromium is not null) await _chromium.DisposeAsync();
        if (_pageHost is not null) await _pageHost.DisposeAsync();
        _server?.Dispose();
        if (_temp.Length > 0) Directory.Delete(_temp, recursive: true);
    }

    [TestCase(400, 1)]
    [TestCase(400, 2)]
    [TestCase(1000, 1)]
    public async Task Signed_srcsets_from_js_core_load_at_the_width_the_browser_picked(int viewportWidth, int dpr)
    {
        await using var context = await _chromium!.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = viewportWidth, Height = 800 },
            DeviceScaleFactor = dpr,
        });
        var page = await context.NewPageAsync();

        // Every answer the image server gave, by URL: a signature problem shows up here as 403.
        var answers = new List<(string Url, int Status)>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(_serverOrigin, StringComparison.Ordinal))
                lock (answers) answers.Add((r.Url, r.Status));
        };
        // Chromium's opaque-response blocking drops a cross-origin error body (e.g. problem+json) for an <img>
        // without a Response event; record those as failed requests (status -1) so they are not missed.
        var failures = new List<string>();
        page.RequestFailed += (_, r) =>
        {
            if (r.Url.StartsWith(_serverOrigin, StringComparison.Ordinal))
                lock (failures) failures.Add($"{r.Failure} {r.Url}");
        };

        await page.GotoAsync($"{_pageOrigin}/?server={Uri.EscapeDataString(_serverOrigin)}");
        await page.WaitForFunctionAsync("() => window.results !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var json = await page.EvaluateAsync<string>("() => JSON.stringify(window.results)");
        var results = JsonSerializer.Deserialize<List<ImageResult>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        TestContext.Out.WriteLine($"viewport {viewportWidth}@{dpr}x: {json}");
        lock (answers)
            foreach (var a in answers) TestContext.Out.WriteLine($"  {a.Status} {a.Url}");

        Assert.That(results.Select(r => r.Id), Is.EquivalentTo(new[] { "fluid", "dpr" }));
        // On a failed load, ask the server directly what it answers for that URL: the browser hides it.
        foreach (var r in results.Where(r => !r.Loaded))
            Assert.Fail($"{r.Id}: the image did not load. Server answer: {await DirectAnswerAsync(r.CurrentSrc)}; " +
                        $"browser: {string.Join("; ", failures)}");
        lock (answers)
        {
            Assert.That(answers, Is.Not.Empty, "the browser fetched nothing from the image server");
            Assert.That(answers.Where(a => a.Status != 200), Is.Empty, "every image request must get 200 (403 = signature rejected)");
        }

        var need = viewportWidth * dpr; // sizes="100vw": device pixels needed
        foreach (var r in results)
        {
            Assert.That(r.Loaded, Is.True, $"{r.Id}: the image did not load ({r.CurrentSrc})");
            Assert.That(r.CurrentSrc, Does.StartWith(_serverOrigin + "/photos/"), $"{r.Id}: picked from the srcset");
            Assert.That(r.CurrentSrc, Does.Contain("&s="), $"{r.Id}: signed by js-core");
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(r.CurrentSrc).Query);
            var w = int.Parse(query["w"]!);

            if (r.Id == "fluid")
            {
                // The candidate Chromium picked: the smallest width that covers the device pixels, or, by
                // Chromium's geometric-mean rule, the largest one just below them.
                var candidates = r.Candidates.Select(int.Parse).OrderBy(x => x).ToList();
                var above = candidates.FirstOrDefault(x => x >= need, candidates[^1]);
                var below = candidates.LastOrDefault(x => x < need, above);
                Assert.That(w, Is.EqualTo(above).Or.EqualTo(below), $"fluid: picked w={w} for {need} device px");
                // The image really has the picked width (the descriptor the browser used).
                Assert.That(r.PixelWidth, Is.EqualTo(w), "fluid: decoded width equals the picked w");
            }
            else
            {
                var pickedDpr = int.Parse(query["dpr"]!);
                Assert.That(pickedDpr, Is.EqualTo(dpr), "dpr: the candidate for this device pixel ratio");
                Assert.That(r.PixelWidth, Is.EqualTo(w * pickedDpr), "dpr: decoded width is w × dpr");
                // For an x descriptor the browser divides by the density, giving the CSS width back.
                Assert.That(r.NaturalWidth, Is.EqualTo(w), "dpr: naturalWidth is the density-corrected width");
            }
        }
    }

    /// <summary>What the page reports per &lt;img&gt;.</summary>
    public sealed record ImageResult(string Id, bool Loaded, string CurrentSrc, int NaturalWidth, int PixelWidth, List<string> Candidates);

    private static async Task<string> DirectAnswerAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        req.Headers.TryAddWithoutValidation("Accept", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8");
        using var resp = await http.SendAsync(req);
        var type = resp.Content.Headers.ContentType?.MediaType ?? "";
        var body = type.StartsWith("image/", StringComparison.Ordinal) ? "(image bytes)" : await resp.Content.ReadAsStringAsync();
        return $"{(int)resp.StatusCode} {type} {body}";
    }

    private async Task StartPageHostAsync(string jsCorePath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _pageHost = builder.Build();
        var jsCore = await File.ReadAllTextAsync(jsCorePath);
        _pageHost.MapGet("/imgix-js-core.umd.js", () => Results.Text(jsCore, "text/javascript"));
        _pageHost.MapGet("/", () => Results.Text(PageHtml, "text/html"));
        await _pageHost.StartAsync();
        _pageOrigin = _pageHost.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
    }

    // The page: js-core's UMD build defines window.ImgixClient. Both <img> use sizes="100vw" and are 100vw wide,
    // so the browser needs viewport × DPR device pixels. window.results is set once both have loaded or failed.
    private static readonly string PageHtml = $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>srcset</title>
        <style>body { margin: 0 } img { display: block; width: 100vw }</style>
        <script src="/imgix-js-core.umd.js"></script>
        </head><body>
        <script>
        const server = new URLSearchParams(location.search).get('server');
        const toServer = (s) => s.split('http://{{ClientDomain}}').join(server);
        // Fluid widths with js-core's defaults (includes ixlib=js-3.8.0), capped at the source width.
        const fluid = new ImgixClient({ domain: '{{ClientDomain}}', useHTTPS: false, secureURLToken: '{{Token}}' })
          .buildSrcSet('/photos/{{ImageName}}', {}, { minWidth: 100, maxWidth: {{SourceWidth}} });
        // The DPR form (w given, 1x..5x, variable quality), without ixlib.
        const dpr = new ImgixClient({ domain: '{{ClientDomain}}', useHTTPS: false, secureURLToken: '{{Token}}', includeLibraryParam: false })
          .buildSrcSet('/photos/{{ImageName}}', { w: 300 });
        const results = [];
        function add(id, srcset, sizes) {
          const img = document.createElement('img');
          img.id = id;
          img.alt = id;
          if (sizes) img.sizes = sizes;
          img.srcset = toServer(srcset);
          const candidates = srcset.split(',\n').map((c) => c.slice(c.lastIndexOf(' ') + 1).replace(/[wx]$/, ''));
          const done = new Promise((resolve) => {
            img.onload = async () => {
              // naturalWidth is density-corrected for srcset images; a plain <img src> of the same URL
              // (from the HTTP cache) gives the decoded pixel width.
              const plain = new Image();
              plain.src = img.currentSrc;
              await plain.decode();
              resolve({ id, loaded: true, currentSrc: img.currentSrc, naturalWidth: img.naturalWidth, pixelWidth: plain.naturalWidth, candidates });
            };
            img.onerror = () => resolve({ id, loaded: false, currentSrc: img.currentSrc, naturalWidth: 0, pixelWidth: 0, candidates });
          });
          document.body.appendChild(img);
          return done;
        }
        Promise.all([add('fluid', fluid, '100vw'), add('dpr', dpr, null)]).then((r) => { window.results = r; });
        </script>
        </body></html>
        """;
}
