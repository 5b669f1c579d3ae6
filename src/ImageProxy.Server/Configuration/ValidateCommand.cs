using Microsoft.Extensions.Configuration;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// `imageproxy validate --sources FILE`: checks a sources file without starting the server (for CI and
/// before a deploy) and prints every problem, one line per source and key. Exit code 0 = valid, 1 = problems,
/// 2 = usage error. Secrets are never printed: messages name keys, not values.
/// </summary>
public static class ValidateCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "validate";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(args[1..], new Dictionary<string, string>(CommandLineSwitches.Mappings))
            .Build();
        var options = new ProxyOptions();
        configuration.GetSection(ProxyOptions.SectionName).Bind(options);

        string path;
        try
        {
            path = SourcesFileLocator.Locate(options.SourcesFile);
        }
        catch (SourcesFileException ex)
        {
            error.WriteLine($"imageproxy validate: {ex.Message}");
            return 2;
        }

        var problems = SourcesFile.Check(path, options.Limits.MaxSourceBytes);
        if (problems.Count == 0)
        {
            var count = SourcesFile.Load(path, options.Limits.MaxSourceBytes).Count;
            output.WriteLine($"{path}: OK ({count} sources)");
            return 0;
        }

        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        error.WriteLine($"{path}: {problems.Count} problem(s)");
        return 1;
    }
}
