using System.CommandLine;
using ImageProxy.Server.Configuration;
using ImageProxy.Transform;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy validate [--sources FILE]</c>: checks a sources file without starting the server (for CI and before a
/// deploy) and prints every problem, one line per source and key. Exit code 0 = valid, 1 = problems, 2 = usage error.
/// Secrets are never printed: messages name keys, not values.
/// </summary>
public static class ValidateCommand
{
    public const string Name = "validate";

    public static Command Create(CliContext context)
    {
        var sources = CommandLineSwitches.Named("--sources");
        var sourcesOption = (Option<string>)sources.CreateOption();
        var command = new Command(Name, "Checks a sources file and prints every problem; exit 0 = valid, 1 = problems.") { sourcesOption };
        command.SetAction(parse => Run(parse.GetValue(sourcesOption) ?? context.Environment(EnvironmentVariable(sources.ConfigurationKey)), context));
        return command;
    }

    /// <summary>ImageProxy:SourcesFile → ImageProxy__SourcesFile, the server's environment spelling of the key.</summary>
    internal static string EnvironmentVariable(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    private static int Run(string? sourcesFile, CliContext context)
    {
        string path;
        try
        {
            path = SourcesFileLocator.Locate(sourcesFile);
        }
        catch (SourcesFileException ex)
        {
            context.Error.WriteLine($"imageproxy validate: {ex.Message}");
            return ImageProxyCli.UsageError;
        }

        var problems = SourcesFile.Check(path, Limits.Default, context.Environment);
        if (problems.Count == 0)
        {
            var count = SourcesFile.Load(path, Limits.Default, context.Environment).Count;
            context.Out.WriteLine($"{path}: OK ({count} sources)");
            return 0;
        }

        foreach (var problem in problems)
        {
            context.Error.WriteLine(problem);
        }

        context.Error.WriteLine($"{path}: {problems.Count} problem(s)");
        return 1;
    }
}
