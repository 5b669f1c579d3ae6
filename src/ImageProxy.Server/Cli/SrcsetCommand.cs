using System.CommandLine;
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

    public static Command Create(CliContext context)
    {
        var line = new UrlCommandLine();
        var widths = new Option<string>("--widths") { HelpName = "W,W,…", Description = "Exact candidate widths instead of the fluid list" };
        var minWidth = new Option<int>("--min-width") { HelpName = "N", Description = "Smallest fluid width", DefaultValueFactory = _ => SrcsetBuilder.DefaultMinWidth }
            .InRange(1, 8192);
        var maxWidth = new Option<int>("--max-width") { HelpName = "N", Description = "Largest fluid width", DefaultValueFactory = _ => SrcsetBuilder.DefaultMaxWidth }
            .InRange(1, 8192);
        var tolerance = new Option<double>("--tolerance") { HelpName = "T", Description = "Fluid width step as a fraction", DefaultValueFactory = _ => SrcsetBuilder.DefaultWidthTolerance }
            .InRange(0.01, 10);
        var dprs = new Option<string>("--dprs") { HelpName = "R,R,…", Description = "Device pixel ratios for a fixed size (default 1–5)" };
        var noVariableQuality = new Option<bool>("--no-variable-quality") { Description = "Keep q the same at every density" };
        var formats = new Option<string>("--formats") { HelpName = "F,F,…", Description = "Print <source type srcset> elements, one per format (e.g. avif,webp)" };
        var command = new Command(Name, "Prints a srcset (fluid widths without w/h; densities 1x–5x with them), or <picture> sources with --formats.")
        {
            widths, minWidth, maxWidth, tolerance, dprs, noVariableQuality, formats,
        };
        line.AddTo(command);
        command.SetAction(parse =>
        {
            if (line.TryCreateBuilder(parse, context.Environment, out var urls, out var path) is { } tokenError)
            {
                return Fail(context, tokenError);
            }

            var parameters = line.Parameters(parse);
            // expires is an ordinary signed parameter, so every candidate carries it.
            if (line.Expires(parse, context.Clock) is { } expires)
            {
                parameters.Set("expires", expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            }

            try
            {
                var options = new SrcsetOptions
                {
                    Widths = parse.GetValue(widths) is { } w ? List(w, int.Parse) : null,
                    MinWidth = parse.GetValue(minWidth),
                    MaxWidth = parse.GetValue(maxWidth),
                    WidthTolerance = parse.GetValue(tolerance),
                    DevicePixelRatios = parse.GetValue(dprs) is { } d ? List(d, double.Parse) : null,
                    DisableVariableQuality = parse.GetValue(noVariableQuality),
                };
                var builder = new SrcsetBuilder(urls);
                if (parse.GetValue(formats) is { } f)
                {
                    foreach (var source in builder.PictureSources(path, parameters, List(f, (text, _) => text), options))
                    {
                        context.Out.WriteLine($"<source type=\"{source.Type}\" srcset=\"{WebUtility.HtmlEncode(source.Srcset)}\">");
                    }
                }
                else
                {
                    context.Out.WriteLine(builder.Build(path, parameters, options));
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                return Fail(context, ex.Message);
            }

            return 0;
        });
        return command;
    }

    private static List<T> List<T>(string text, Func<string, IFormatProvider, T> parse) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(item => parse(item, CultureInfo.InvariantCulture))];

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"imageproxy srcset: {message}");
        return ImageProxyCli.UsageError;
    }
}
