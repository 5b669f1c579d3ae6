using System.CommandLine;
using System.Globalization;
using ImageProxy.Client;
using ImageProxy.Server.Configuration;
using ImageProxy.Transform;

namespace ImageProxy.Server.Cli;

/// <summary>
/// What <see cref="UrlCommand"/> and <see cref="SrcsetCommand"/> share: PATH, NAME=VALUE parameters, where the token
/// comes from (a source in the sources file, or an environment variable; never the command line, which `ps` and shell
/// history show), <c>--base-url</c> and <c>--expires-in</c>.
/// </summary>
internal sealed class UrlCommandLine
{
    private readonly Option<string> _source = new("--source") { HelpName = "NAME", Description = "Sign with this source's newest token when it has secureTokens; PATH may omit its pathPrefix" };
    private readonly Option<string> _sources = new("--sources") { HelpName = "FILE", Description = "The sources file (default: samples/sources.json)" };
    private readonly Option<string> _tokenEnv = new("--token-env") { HelpName = "VAR", Description = "Sign with the token in this environment variable" };
    private readonly Option<string> _baseUrl = new("--base-url") { HelpName = "URL", Description = "Prefix every URL with this base URL" };
    private readonly Option<long> _expiresIn = new Option<long>("--expires-in") { HelpName = "SECONDS", Description = "Add expires=<now + SECONDS> (Unix time)" }
        .InRange(0, 100L * 365 * 24 * 3600);
    private readonly Option<string> _token = new("--token") { Hidden = true, Arity = ArgumentArity.ZeroOrOne };
    private readonly Argument<string> _path = new Argument<string>("PATH") { Description = "The image path" }.RefusingOptions();
    private readonly Argument<string[]> _parameters = new Argument<string[]>("NAME=VALUE")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "imgix parameters in URL order, unencoded (NAME64 values are base64url-encoded for you)",
    }.RefusingOptions();

    public UrlCommandLine()
    {
        _token.Validators.Add(r => r.AddError("--token is not supported: command lines are visible to other users; use --token-env or --source"));
        _parameters.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.IndexOf('=') <= 0) is { } bad)
            {
                r.AddError($"parameter '{bad.Value}' is not NAME=VALUE");
            }
        });
    }

    /// <summary>Adds the shared options and arguments, and the one-token-source rule, to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _source, _sources, _tokenEnv, _baseUrl, _expiresIn, _token })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(_path);
        command.Arguments.Add(_parameters);
        command.Validators.Add(r =>
        {
            if (r.GetResult(_source) is not null && r.GetResult(_tokenEnv) is not null)
            {
                r.AddError("give at most one of --source or --token-env");
            }
        });
    }

    public ImageParameters Parameters(ParseResult parse)
    {
        var parameters = new ImageParameters();
        foreach (var pair in parse.GetValue(_parameters) ?? [])
        {
            var equals = pair.IndexOf('=');
            parameters.Set(pair[..equals], pair[(equals + 1)..]);
        }

        return parameters;
    }

    public DateTimeOffset? Expires(ParseResult parse, TimeProvider clock) =>
        parse.GetResult(_expiresIn) is null ? null : clock.GetUtcNow().AddSeconds(parse.GetValue(_expiresIn));

    /// <summary>
    /// The builder for this command line: signing with the environment variable's token, or the source's newest token
    /// (the last of its secureTokens), or unsigned; with --source the path gets the source's prefix when it lacks it.
    /// Returns the error message, or null.
    /// </summary>
    public string? TryCreateBuilder(ParseResult parse, Func<string, string?> environment, out ImageUrlBuilder builder, out string path)
    {
        builder = null!;
        path = parse.GetRequiredValue(_path);
        string? token = null;
        if (parse.GetValue(_tokenEnv) is { } tokenEnv)
        {
            token = environment(tokenEnv);
            if (string.IsNullOrEmpty(token))
            {
                return $"environment variable {tokenEnv} is not set or empty";
            }
        }
        else if (parse.GetValue(_source) is { } source)
        {
            SourceDefinition? definition;
            try
            {
                definition = SourceSigner.Load(parse.GetValue(_sources), environment).Find(source);
            }
            catch (SourcesFileException ex)
            {
                return ex.Message;
            }

            if (definition is null)
            {
                return $"no source named '{source}' in the sources file";
            }

            token = definition.RequiresSignature ? definition.SecureTokens[^1] : null;
            var prefix = definition.PathPrefix == "/" ? string.Empty : definition.PathPrefix;
            var withSlash = path.StartsWith('/') ? path : "/" + path;
            path = prefix.Length > 0 && !withSlash.StartsWith(prefix + "/", StringComparison.Ordinal) ? prefix + withSlash : withSlash;
        }

        builder = new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = parse.GetValue(_baseUrl)?.TrimEnd('/') ?? string.Empty, SecureToken = token });
        return null;
    }
}
