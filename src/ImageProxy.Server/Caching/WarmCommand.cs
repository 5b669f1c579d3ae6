using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageProxy.Server.Caching;

/// <summary>
/// <c>imageproxy warm</c>: pre-generates variants through a running proxy, so they land in its disk and
/// Redis tiers exactly as a real request would put them there (same keys, same coalescing).
/// <code>
/// warm --base http://host:port --urls urls.txt                       one URL or path+query per line
/// warm --base http://host:port --paths paths.txt|sitemap.xml --widths 320,640,1280 [--formats webp,avif] [--params fit=crop&amp;q=70]
///      [--concurrency 4] [--accept "image/avif,image/webp"]
/// </code>
/// </summary>
public static partial class WarmCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        var options = ParseOptions(args, out var error);
        if (options is null)
        {
            await progress.WriteLineAsync($"warm: {error}");
            await progress.WriteLineAsync("usage: warm --base URL (--urls FILE | --paths FILE|SITEMAP --widths W1,W2 [--formats F1,F2] [--params Q]) [--concurrency N] [--accept TEXT]");
            return 2;
        }

        using var client = new HttpClient { BaseAddress = new Uri(options.BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        return await RunAsync(options, client, output, progress, cancellationToken);
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
    public static IReadOnlyList<string> ExpandTargets(WarmOptions options)
    {
        if (options.UrlsFile is not null)
        {
            return ReadLines(options.UrlsFile).Select(ToTarget).ToList();
        }

        var text = File.ReadAllText(options.PathsFile!);
        // A sitemap lists <loc> URLs; anything else is one path per line.
        var paths = text.Contains("<loc>", StringComparison.Ordinal)
            ? LocPattern().Matches(text).Select(m => ToTarget(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value.Trim()))).ToList()
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

    public static WarmOptions? ParseOptions(string[] args, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"unexpected argument '{args[i]}'";
                return null;
            }

            values[args[i][2..]] = args[++i];
        }

        error = null;
        var concurrency = values.TryGetValue("concurrency", out var c) && int.TryParse(c, CultureInfo.InvariantCulture, out var n) ? n : 4;
        var widths = values.TryGetValue("widths", out var w)
            ? w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.TryParse(x, CultureInfo.InvariantCulture, out var v) ? v : -1).ToList()
            : [];
        var formats = values.TryGetValue("formats", out var f)
            ? f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : [];
        var options = new WarmOptions(
            values.GetValueOrDefault("base") ?? "", values.GetValueOrDefault("urls"), values.GetValueOrDefault("paths"),
            widths, formats, values.GetValueOrDefault("params"), concurrency, values.GetValueOrDefault("accept"));

        error = !Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _) ? "--base must be an absolute URL"
            : (options.UrlsFile is null) == (options.PathsFile is null) ? "give exactly one of --urls and --paths"
            : options.PathsFile is not null && (options.Widths.Count == 0 || options.Widths.Any(x => x <= 0)) ? "--paths needs --widths with positive numbers"
            : options.Concurrency is < 1 or > 256 ? "--concurrency must be 1..256"
            : options.UrlsFile is not null && !File.Exists(options.UrlsFile) ? $"no such file: {options.UrlsFile}"
            : options.PathsFile is not null && !File.Exists(options.PathsFile) ? $"no such file: {options.PathsFile}"
            : null;
        return error is null ? options : null;
    }

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

    [GeneratedRegex("<loc>(.*?)</loc>", RegexOptions.Singleline)]
    private static partial Regex LocPattern();
}
