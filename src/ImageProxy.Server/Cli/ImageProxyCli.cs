using System.CommandLine;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Cli;

/// <summary>
/// The one program: <c>imageproxy serve | sign | url | srcset | validate | warm | purge | health | version</c>, each with --help.
/// Without a command it serves, so <c>imageproxy --sources FILE</c> (run.sh, the Dockerfile) keeps working.
/// </summary>
public static class ImageProxyCli
{
    /// <summary>Usage errors exit with 2, like the commands did before (1 is "ran and found a problem").</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Parses and runs the command; for `serve` it only returns the configuration arguments (<c>--Key=VALUE</c>) to
    /// start the server with, which Program.cs, the composition root, does.
    /// </summary>
    public static async Task<CommandOutcome> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        string[]? serveArguments = null;
        var root = Create(context, arguments => serveArguments = arguments);
        // No response files: a sign parameter or an image path may start with '@'.
        var parse = root.Parse(WithDefaultCommand(root, args), new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command is RootCommand ? "imageproxy" : $"imageproxy {parse.CommandResult.Command.Name}";
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"{command}: {error.Message}");
            }

            await context.Error.WriteLineAsync($"See '{command} --help'.");
            return new CommandOutcome(UsageError, null);
        }

        var exitCode = await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // The server handles SIGTERM itself (graceful shutdown); an unexpected exception stays one.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        }, cancellationToken);
        return new CommandOutcome(exitCode, serveArguments);
    }

    /// <param name="serve">Receives the configuration arguments when the command is `serve`.</param>
    public static RootCommand Create(CliContext context, Action<string[]> serve)
    {
        var root = new RootCommand("ImageProxy, an imgix-compatible image proxy. Without a command it runs the server ('imageproxy serve').")
        {
            ServeCommand.Create(serve),
            SignCommand.Create(context),
            UrlCommand.Create(context),
            SrcsetCommand.Create(context),
            ValidateCommand.Create(context),
            WarmCommand.Create(context),
            PurgeCommand.Create(context),
            HealthCommand.Create(context),
            VersionCommand.Create(context),
        };
        // Also when started as `dotnet ImageProxy.Server.dll`: help names the program users install.
        root.HelpName = "imageproxy";
        return root;
    }

    /// <summary>An option naming a server by its absolute http(s) URL.</summary>
    public static Option<string> ServerUrlOption(string name, string description)
    {
        var option = new Option<string>(name) { HelpName = "URL", Description = description };
        option.Validators.Add(r =>
        {
            if (!Uri.TryCreate(r.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                r.AddError($"{name} must be an absolute http(s) URL");
            }
        });
        return option;
    }

    /// <summary>A number option whose value must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <remarks>A parser rather than a validator: validators also run when the text is not a number at all.</remarks>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max)
        where T : struct, IComparable<T>, IParsable<T>
    {
        var defaultValue = option.DefaultValueFactory;
        option.CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return defaultValue is null ? default : defaultValue(r);
            }

            if (!T.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            {
                r.AddError(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{option.Name} must be a number from {min} to {max}"));
                return default;
            }

            return value;
        };
        return option;
    }

    /// <summary>
    /// Arguments take any token the parser does not know, "--bogus" too; here such a token is the unknown option it
    /// looks like rather than a path or parameter.
    /// </summary>
    public static Argument<T> RefusingOptions<T>(this Argument<T> argument)
    {
        argument.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } option)
            {
                r.AddError($"Unknown option '{option.Value}'.");
            }
        });
        return argument;
    }

    /// <summary>`serve` unless the first argument names a command or one of the root's own options (--help, --version).</summary>
    private static string[] WithDefaultCommand(RootCommand root, string[] args)
    {
        if (args.Length > 0)
        {
            var first = args[0];
            if (root.Subcommands.Any(c => c.Name == first) || root.Options.Any(o => o.Name == first || o.Aliases.Contains(first)))
            {
                return args;
            }
        }

        return [ServeCommand.Name, .. args];
    }
}

/// <summary>A command's exit code, or for `serve` the configuration arguments to start the server with.</summary>
public sealed record CommandOutcome(int ExitCode, string[]? ServeArguments);
