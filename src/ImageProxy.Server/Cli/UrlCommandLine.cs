using System.Globalization;
using ImageProxy.Client;
using ImageProxy.Server.Configuration;
using ImageProxy.Transform;

namespace ImageProxy.Server.Cli;

/// <summary>
/// What <see cref="UrlCommand"/> and <see cref="SrcsetCommand"/> share: PATH, NAME=VALUE parameters, where the token
/// comes from (a source in the sources file, or an environment variable; never the command line, which `ps` and shell
/// history show), <c>--base-url</c> and <c>--expires-in</c>. Command-specific options are collected by name.
/// </summary>
internal sealed class UrlCommandLine
{
    public string? Source { get; private set; }
    public string? SourcesFile { get; private set; }
    public string? TokenEnv { get; private set; }
    public string BaseUrl { get; private set; } = string.Empty;
    public long? ExpiresIn { get; private set; }
    public string Path { get; private set; } = string.Empty;
    public ImageParameters Parameters { get; } = new();
    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);
    public bool Help { get; private set; }

    /// <summary>Parses; returns the error message or null.</summary>
    public static string? TryParse(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions, IReadOnlySet<string> flagOptions, out UrlCommandLine line)
    {
        line = new UrlCommandLine();
        string? path = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--source": line.Source = Next(); break;
                case "--sources": line.SourcesFile = Next(); break;
                case "--token-env": line.TokenEnv = Next(); break;
                case "--base-url": line.BaseUrl = Next()?.TrimEnd('/') ?? string.Empty; break;
                case "--expires-in":
                    if (!long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    {
                        return "--expires-in needs a whole number of seconds";
                    }

                    line.ExpiresIn = seconds;
                    break;
                case "--token":
                    return "--token is not supported: command lines are visible to other users; use --token-env or --source";
                case "-h" or "--help":
                    line.Help = true;
                    return null;
                default:
                    if (valueOptions.Contains(arg))
                    {
                        line.Options[arg] = Next() ?? string.Empty;
                    }
                    else if (flagOptions.Contains(arg))
                    {
                        line.Flags.Add(arg);
                    }
                    else if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        return $"unknown option {arg}";
                    }
                    else if (path is null)
                    {
                        path = arg;
                    }
                    else
                    {
                        var equals = arg.IndexOf('=');
                        if (equals <= 0)
                        {
                            return $"parameter '{arg}' is not NAME=VALUE";
                        }

                        line.Parameters.Set(arg[..equals], arg[(equals + 1)..]);
                    }

                    break;
            }
        }

        if (path is null)
        {
            return "PATH is required";
        }

        if (line.Source is not null && line.TokenEnv is not null)
        {
            return "give at most one of --source or --token-env";
        }

        line.Path = path;
        return null;
    }

    /// <summary>
    /// The builder for this command line: signing with the environment variable's token, or the source's newest token
    /// (the last of its secureTokens), or unsigned; with --source the path gets the source's prefix when it lacks it.
    /// </summary>
    public string? TryCreateBuilder(Func<string, string?> environment, out ImageUrlBuilder builder, out string path)
    {
        builder = null!;
        path = Path;
        string? token = null;
        if (TokenEnv is not null)
        {
            token = environment(TokenEnv);
            if (string.IsNullOrEmpty(token))
            {
                return $"environment variable {TokenEnv} is not set or empty";
            }
        }
        else if (Source is not null)
        {
            SourceDefinition? definition;
            try
            {
                var file = SourcesFileLocator.Locate(SourcesFile);
                definition = Configuration.SourcesFile.Load(file, Limits.Default.MaxSourceBytes, environment).FirstOrDefault(d => d.Name == Source);
            }
            catch (SourcesFileException ex)
            {
                return ex.Message;
            }

            if (definition is null)
            {
                return $"no source named '{Source}' in the sources file";
            }

            token = definition.RequiresSignature ? definition.SecureTokens[^1] : null;
            var prefix = definition.PathPrefix == "/" ? string.Empty : definition.PathPrefix;
            var withSlash = path.StartsWith('/') ? path : "/" + path;
            path = prefix.Length > 0 && !withSlash.StartsWith(prefix + "/", StringComparison.Ordinal) ? prefix + withSlash : withSlash;
        }

        builder = new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = BaseUrl, SecureToken = token });
        return null;
    }

    public DateTimeOffset? Expires(TimeProvider clock) => ExpiresIn is { } seconds ? clock.GetUtcNow().AddSeconds(seconds) : null;
}
