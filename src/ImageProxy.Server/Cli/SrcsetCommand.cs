using System.Globalization;
using System.Net;
using ImageProxy.Client;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy srcset [options] PATH [NAME=VALUE ...]</c>: prints the srcset ImageProxy.Client builds with imgix's
/// rules (fluid widths without w/h, densities 1x–5x with either), every URL signed when a token is given. With
/// <c>--formats avif,webp</c> it prints one <c>&lt;source type srcset&gt;</c> element per format for a picture.
/// </summary>
public static class SrcsetCommand
{
    public const string Name = "srcset";

    private const string Usage = """
        usage: imageproxy srcset [--source NAME [--sources FILE] | --token-env VAR] [--base-url URL] [--expires-in SECONDS]
                                 [--widths W,W,…] [--min-width N] [--max-width N] [--tolerance T]
                                 [--dprs R,R,…] [--no-variable-quality] [--formats F,F,…] PATH [NAME=VALUE ...]
          without w or h: fluid widths (default 100–8192, tolerance 0.08); with w or h: densities 1–5 with q 75/50/35/23/20
          --formats     prints <source type srcset> elements, one per format (e.g. avif,webp)
        """;

    private static readonly HashSet<string> ValueOptions = ["--widths", "--min-width", "--max-width", "--tolerance", "--dprs", "--formats"];
    private static readonly HashSet<string> FlagOptions = ["--no-variable-quality"];

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider clock)
    {
        if (UrlCommandLine.TryParse(args, ValueOptions, FlagOptions, out var line) is { } parseError)
        {
            return Fail(error, parseError);
        }

        if (line.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }

        if (line.TryCreateBuilder(environment, out var urls, out var path) is { } tokenError)
        {
            return Fail(error, tokenError);
        }

        // expires is an ordinary signed parameter, so every candidate carries it.
        if (line.Expires(clock) is { } expires)
        {
            line.Parameters.Set("expires", expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            var options = new SrcsetOptions
            {
                Widths = line.Options.TryGetValue("--widths", out var widths) ? List(widths, int.Parse) : null,
                MinWidth = line.Options.TryGetValue("--min-width", out var min) ? int.Parse(min, CultureInfo.InvariantCulture) : SrcsetBuilder.DefaultMinWidth,
                MaxWidth = line.Options.TryGetValue("--max-width", out var max) ? int.Parse(max, CultureInfo.InvariantCulture) : SrcsetBuilder.DefaultMaxWidth,
                WidthTolerance = line.Options.TryGetValue("--tolerance", out var tolerance)
                    ? double.Parse(tolerance, CultureInfo.InvariantCulture)
                    : SrcsetBuilder.DefaultWidthTolerance,
                DevicePixelRatios = line.Options.TryGetValue("--dprs", out var dprs) ? List(dprs, double.Parse) : null,
                DisableVariableQuality = line.Flags.Contains("--no-variable-quality"),
            };
            var builder = new SrcsetBuilder(urls);
            if (line.Options.TryGetValue("--formats", out var formats))
            {
                foreach (var source in builder.PictureSources(path, line.Parameters, List(formats, s => s), options))
                {
                    output.WriteLine($"<source type=\"{source.Type}\" srcset=\"{WebUtility.HtmlEncode(source.Srcset)}\">");
                }
            }
            else
            {
                output.WriteLine(builder.Build(path, line.Parameters, options));
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return Fail(error, ex.Message);
        }

        return 0;
    }

    private static List<T> List<T>(string text, Func<string, IFormatProvider, T> parse) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item => parse(item, CultureInfo.InvariantCulture))];

    private static List<string> List(string text, Func<string, string> identity) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(identity)];

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"imageproxy srcset: {message}");
        error.WriteLine(Usage);
        return 2;
    }
}
