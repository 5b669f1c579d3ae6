namespace ImageProxy.Server.Cli;

/// <summary>What a command may touch outside its arguments; the tests pass their own writers, environment and clock.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment, TimeProvider Clock)
{
    public static CliContext FromProcess() => new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
