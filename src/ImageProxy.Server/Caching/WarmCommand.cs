using System.Diagnostics;
using System.Globalization;
using System.CommandLine;
using ImageProxy.Server.Cli;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Caching;

/// <summary>
/// <c>imageproxy warm</c>: pre-generates variants through a running proxy, so they land in its disk and
/// Redis tiers exactly as a real request would put them there (same keys, same coalescing).
/// <code>
/// warm --base http://host:port --urls urls.txt                       one URL or path+query per line
/// warm --base http://host:port --paths paths.txt|sitemap.xml --widths 320,640,1280 [--formats webp,avif] [--params fit=crop&amp;q=70]
///      [--concurrency 4] [--accept "image/avif,image/webp"] [--sources sources.json]
/// </code>
/// </summary>
public static class WarmCommand
{
    public const string Name = "warm";

    public static Command Create(CliContext context)
    {
        var baseUrl = ImageProxyCli.ServerUrlOption("--base", "The proxy to warm");
        baseUrl.Required = true;
        var urls = new Option<string>("--urls") { HelpName = "FILE", Description = "Request targets, one URL or path+query per line" };
        var paths = new Option<string>("--paths") { HelpName = "FILE", Description = "Image paths, one per line, or a sitemap (<loc>, and <image:loc> of image sitemaps)" };
        var widths = new Option<string>("--widths") { HelpName = "W1,W2", Description = "Widths to request for each path (with --paths)" };
        var formats = new Option<string>("--formats") { HelpName = "F1,F2", Description = "Formats (fm=) to request for each width" };
        var extra = new Option<string>("--params") { HelpName = "QUERY", Description = "More parameters for every request, e.g. fit=crop&q=70" };
        var concurrency = new Option<int>("--concurrency") { HelpName = "N", Description = "Requests in flight", DefaultValueFactory = _ => 4 }
            .InRange(1, 256);
        var accept = new Option<string>("--accept") { HelpName = "TEXT", Description = "Accept header (for auto=format)" };
        var sources = new Option<string>("--sources")
        {
            HelpName = "FILE",
            Description = "Sources file: targets of sources with secureTokens are signed with the newest token, as 'imageproxy sign' does",
        };
        var command = new Command(Name, "Pre-renders variants through a running proxy, so its caches hold them before the traffic does.")
        {
            baseUrl, urls, paths, widths, formats, extra, concurrency, accept, sources,
        };
        command.Validators.Add(r =>
        {
            string? Value(Option<string> option) => r.GetValue(option);
            var widthList = ParseWidths(Value(widths));
            var error = (Value(urls) is null) == (Value(paths) is null) ? "give exactly one of --urls and --paths"
                : Value(paths) is not null && (widthList.Count == 0 || widthList.Any(x => x <= 0)) ? "--paths needs --widths with positive numbers"
                : new[] { Value(urls), Value(paths), Value(sources) }.FirstOrDefault(f => f is not null && !File.Exists(f)) is { } missing ? $"no such file: {missing}"
                : null;
            if (error is not null)
            {
                r.AddError(error);
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            SourceSigner? signer = null;
            if (parse.GetValue(sources) is { } sourcesFile)
            {
                try
                {
                    signer = SourceSigner.Load(sourcesFile, context.Environment);
                }
                catch (SourcesFileException ex)
                {
                    await context.Error.WriteLineAsync($"imageproxy warm: {ex.Message}");
                    return ImageProxyCli.UsageError;
                }
            }

            var options = new WarmOptions(
                parse.GetRequiredValue(baseUrl), parse.GetValue(urls), parse.GetValue(paths), ParseWidths(parse.GetValue(widths)),
                SplitList(parse.GetValue(formats)), parse.GetValue(extra), parse.GetValue(concurrency), parse.GetValue(accept), signer);
            using var client = new HttpClient { BaseAddress = new Uri(options.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
            return await RunAsync(options, client, context.Out, context.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs against <paramref name="client"/> (its BaseAddress is the proxy); the tests pass an in-process server's client.</summary>
    public static async Task<int> RunAsync(WarmOptions options, HttpClient client, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        var targets = ExpandTargets(options);
        if (options.Accept is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", options.Accept);
        }

        var tally = new WarmTally();
        var started = Stopwatch.StartNew();
        using var reporter = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporting = ReportAsync(reporter, tally, targets.Count, started, progress, stop.Token);

        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (target, token) =>
            {
                try
                {
                    using var response = await client.GetAsync(target, HttpCompletionOption.ResponseContentRead, token);
                    var cacheHeader = response.Headers.TryGetValues("X-Cache", out var values) ? values.FirstOrDefault() : null;
                    tally.Record(!response.IsSuccessStatusCode ? WarmOutcome.Failure
                        : cacheHeader?.StartsWith("HIT", StringComparison.Ordinal) == true ? WarmOutcome.Hit
                        : WarmOutcome.Miss);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    tally.Record(WarmOutcome.Failure);
                }
            });

        await stop.CancelAsync();
        await reporting;
        await progress.WriteLineAsync(ProgressLine(tally, targets.Count, started.Elapsed));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"warm: {targets.Count} requests in {started.Elapsed.TotalSeconds:0.0}s: {tally.Hits} hits, {tally.Misses} misses (rendered), {tally.Failures} failures"));
        return tally.Failures == 0 ? 0 : 1;
    }

    /// <summary>The request targets (path + query) the options describe, in a stable order.</summary>
    /// <remarks>With a <see cref="WarmOptions.Signer"/>, targets of signed sources carry their signature.</remarks>
    public static IReadOnlyList<string> ExpandTargets(WarmOptions options)
    {
        var targets = Expand(options);
        return options.Signer is { } signer ? [.. targets.Select(signer.SignTarget)] : targets;
    }

    private static IReadOnlyList<string> Expand(WarmOptions options)
    {
        if (options.UrlsFile is not null)
        {
            return ReadLines(options.UrlsFile).Select(ToTarget).ToList();
        }

        // A sitemap (XML) lists URLs; anything else is one path per line.
        var paths = File.ReadAllText(options.PathsFile!).TrimStart().StartsWith('<')
            ? Sitemap.ImageUrls(options.PathsFile!).Select(ToTarget).ToList()
            : ReadLines(options.PathsFile!).Select(ToTarget).ToList();
        var formats = options.Formats.Count == 0 ? [null] : options.Formats.Select(f => (string?)f).ToList();
        var targets = new List<string>();
        foreach (var path in paths)
        {
            foreach (var width in options.Widths)
            {
                foreach (var format in formats)
                {
                    var query = $"w={width.ToString(CultureInfo.InvariantCulture)}" + (format is null ? "" : $"&fm={format}")
                        + (string.IsNullOrEmpty(options.ExtraParams) ? "" : "&" + options.ExtraParams);
                    targets.Add(path + (path.Contains('?') ? "&" : "?") + query);
                }
            }
        }

        return targets;
    }

    private static List<int> ParseWidths(string? text) =>
        [.. SplitList(text).Select(x => int.TryParse(x, CultureInfo.InvariantCulture, out var v) ? v : -1)];

    private static List<string> SplitList(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>"[#####-----] 120/500  24.0/s  ETA 15s  hits 3 misses 117 failures 0"</summary>
    public static string ProgressLine(WarmTally tally, int total, TimeSpan elapsed)
    {
        var done = tally.Done;
        var fraction = total == 0 ? 1 : (double)done / total;
        var filled = (int)Math.Round(fraction * 30);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', 30 - filled)}] {done}/{total}  {rate:0.0}/s  ETA {(eta is { } e ? $"{e.TotalSeconds:0}s" : "?")}  hits {tally.Hits} misses {tally.Misses} failures {tally.Failures}");
    }

    private static async Task ReportAsync(PeriodicTimer timer, WarmTally tally, int total, Stopwatch started, TextWriter progress, CancellationToken stop)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // \r redraws one line on a terminal; in a log file it is merely a separator.
                await progress.WriteAsync("\r" + ProgressLine(tally, total, started.Elapsed));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await progress.WriteAsync("\r");
    }

    private static IEnumerable<string> ReadLines(string file) =>
        File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>Full URLs are reduced to path + query, so a URL list from production can warm a staging node.</summary>
    private static string ToTarget(string line) =>
        Uri.TryCreate(line, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.PathAndQuery : line.StartsWith('/') ? line : "/" + line;
}
