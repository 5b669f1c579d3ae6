using System.CommandLine;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy serve [options] [--ImageProxy:Key=VALUE ...]</c>: the options of <see cref="CommandLineSwitches.Server"/>,
/// configuration keys, and nothing else: a mistyped or unknown option stops it before anything starts.
/// </summary>
public static class ServeCommand
{
    public const string Name = "serve";

    public static Command Create(Action<string[]> serve)
    {
        var command = new Command(Name,
            $"Runs the proxy (the default command). Every setting can also be given as --{ProxyOptions.SectionName}:Key=VALUE, " +
            $"as an environment variable {ProxyOptions.SectionName}__Key, or in appsettings.json; see README 'Server options'.");
        var switches = CommandLineSwitches.Server.Select(s => (Switch: s, Option: s.CreateOption())).ToList();
        foreach (var (_, option) in switches)
        {
            command.Options.Add(option);
        }

        foreach (var refused in CommandLineSwitches.RefusedOptions())
        {
            command.Options.Add(refused);
        }

        // Everything that is not a known option lands here and must be a configuration key (with its value).
        var keys = new Argument<string[]>("configuration keys") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        keys.Validators.Add(result =>
        {
            if (ConfigurationOverrides.Problem([.. result.Tokens.Select(t => t.Value)]) is { } problem)
            {
                result.AddError(problem);
            }
        });
        command.Arguments.Add(keys);

        command.SetAction(parse => serve(
        [
            .. switches.Select(s => s.Switch.ToConfigurationArgument(parse, s.Option)).OfType<string>(),
            .. parse.GetValue(keys) ?? [],
        ]));
        return command;
    }
}
