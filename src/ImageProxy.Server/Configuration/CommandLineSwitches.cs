using System.CommandLine;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// The server's command-line options, each a spelling of one configuration key, so that a flag, an environment
/// variable (ImageProxy__SourcesFile) and appsettings.json are three ways to set the same thing.
/// </summary>
/// <remarks>
/// To add an option: add one row to <see cref="Server"/> (a value option, or a flag with the value it stands for).
/// `serve` offers it, lists it in --help and passes it on as <c>--Key=VALUE</c>; `version` and `validate` pick rows
/// by name. Any configuration key can also be given as <c>--ImageProxy:Key=VALUE</c> (see
/// <see cref="ConfigurationOverrides"/>); a row is for what an operator types often.
/// </remarks>
public static class CommandLineSwitches
{
    private const string Section = ProxyOptions.SectionName;

    public static readonly IReadOnlyList<ServerSwitch> Server =
    [
        // Kestrel's own key: the generic host reads "urls" from configuration.
        new("--urls", "urls", "URLS", "Addresses to listen on, ';'-separated (Kestrel's own setting)"),
        new("--sources", $"{Section}:{nameof(ProxyOptions.SourcesFile)}", "FILE", "The sources file (JSON)"),
        new("--libvips", $"{Section}:{nameof(ProxyOptions.LibvipsPath)}", "PATH", "libvips library file, or 'system' for Debian's libvips.so.42"),
        new("--cache-dir", $"{Section}:{nameof(ProxyOptions.CacheDir)}", "DIR", "Directory of the disk result cache"),
        new("--redis", $"{Section}:Redis", "CONFIG", "Redis for the shared cache tier: HOST:PORT or a StackExchange.Redis configuration string"),
        new("--no-result-cache", $"{Section}:ResultCache:Enabled", null, "Turn the result cache off", FlagValue: "false"),
        new("--playground", $"{Section}:Playground:Enabled", null, "Serve the parameter playground at /_imageproxy/playground", FlagValue: "true"),
        new("--cluster-self", $"{Cluster.ClusterOptions.SectionName}:{nameof(Cluster.ClusterOptions.Self)}", "URL", "This node's own address, as the other cluster nodes reach it"),
        new("--cluster-peers", $"{Cluster.ClusterOptions.SectionName}:{nameof(Cluster.ClusterOptions.Peers)}", "URLS", "The cluster's nodes, ','-separated (this node included)"),
    ];

    /// <summary>Options that used to exist and now refuse with the reason, rather than being silently ignored.</summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>
    {
        // A command line is visible to every local user (ps, /proc/PID/cmdline) and lands in shell history.
        ["--admin-token"] = $"--admin-token is not accepted: command lines are visible to other users. Set the environment variable {Section}__AdminToken or the key {Section}:AdminToken in appsettings.json.",
    };

    public static ServerSwitch Named(string name) => Server.Single(s => s.Name == name);

    /// <summary>The hidden options that refuse with their message, for a command to add.</summary>
    public static IEnumerable<Option> RefusedOptions() => Refused.Select(pair =>
    {
        var option = new Option<string>(pair.Key) { Hidden = true, Arity = ArgumentArity.ZeroOrOne };
        option.Validators.Add(result => result.AddError(pair.Value));
        return (Option)option;
    });
}

/// <summary>One server option: its name, the configuration key it sets, and for a flag the value it stands for.</summary>
public sealed record ServerSwitch(string Name, string ConfigurationKey, string? ValueName, string Description, string? FlagValue = null)
{
    public Option CreateOption() => FlagValue is null
        ? new Option<string>(Name) { HelpName = ValueName, Description = $"{Description} [{ConfigurationKey}]" }
        : new Option<bool>(Name) { Description = $"{Description} [{ConfigurationKey}={FlagValue}]" };

    /// <summary>The <c>--Key=VALUE</c> argument for the configuration's command-line provider, or null when the option was not given.</summary>
    public string? ToConfigurationArgument(ParseResult parse, Option option) => option switch
    {
        Option<bool> flag => parse.GetValue(flag) ? $"--{ConfigurationKey}={FlagValue}" : null,
        Option<string> value when parse.GetResult(value) is not null => $"--{ConfigurationKey}={parse.GetValue(value)}",
        _ => null,
    };
}
