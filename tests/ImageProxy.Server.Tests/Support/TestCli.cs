using ImageProxy.Server.Cli;

namespace ImageProxy.Server.Tests;

/// <summary>Runs the real command line in-process with captured output and an environment of the test's choosing.</summary>
internal static class TestCli
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var context = new CliContext(output, error, name => environment.GetValueOrDefault(name), TimeProvider.System);
        var outcome = await ImageProxyCli.RunAsync(args, context);
        return new CliRun(outcome.ExitCode, outcome.ServeArguments, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);
}

/// <summary>What one run printed and returned; <see cref="ServeArguments"/> is set only when it would start the server.</summary>
internal sealed record CliRun(int ExitCode, string[]? ServeArguments, string Out, string Err);
