using System.CommandLine;
using System.Globalization;
using ImageProxy.Client;
using ImageProxy.Server.Configuration;
using ImageProxy.Transform;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy sign [options] PATH [NAME=VALUE ...]</c>: prints a signed URL, byte for byte what @imgix/js-core's
/// buildURL would produce for the same token, path and parameters (see <see cref="UrlSigner"/>).
/// </summary>
/// <remarks>
/// The token is never taken from the command line: arguments show up in `ps`, shell history and CI logs. It comes
/// from a source in the sources file (<c>--source</c>, the LAST of its secureTokens, i.e. the newest during a
/// rotation) or from an environment variable (<c>--token-env</c>). Only the URL is printed, never the token.
/// </remarks>
public static class SignCommand
{
    public const string Name = "sign";

    public static Command Create(CliContext context)
    {
        var source = new Option<string>("--source") { HelpName = "NAME", Description = "Sign with this source's newest secure token (from the sources file)" };
        var sources = new Option<string>("--sources") { HelpName = "FILE", Description = "The sources file (default: samples/sources.json)" };
        var tokenEnv = new Option<string>("--token-env") { HelpName = "VAR", Description = "Sign with the token in this environment variable" };
        var baseUrl = new Option<string>("--base-url") { HelpName = "URL", Description = "Prefix the printed path with this URL" };
        var noPathEncoding = new Option<bool>("--no-path-encoding") { Description = "Use PATH as given, without URL-encoding it" };
        var expiresIn = new Option<long>("--expires-in") { HelpName = "SECONDS", Description = "Add expires=<now + SECONDS> (Unix time)" }
            .InRange(0, 100L * 365 * 24 * 3600);
        var token = new Option<string>("--token") { Hidden = true, Arity = ArgumentArity.ZeroOrOne };
        token.Validators.Add(r => r.AddError("--token is not supported: command lines are visible to other users; use --token-env or --source"));
        var path = new Argument<string>("PATH") { Description = "The image path; with --source it may omit the source's pathPrefix (it is added)" }
            .RefusingOptions();
        var parameters = new Argument<string[]>("NAME=VALUE")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = "imgix parameters in URL order, unencoded (NAME64 values are base64url-encoded for you)",
        }.RefusingOptions();
        parameters.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => t.Value.IndexOf('=') <= 0) is { } bad)
            {
                r.AddError($"parameter '{bad.Value}' is not NAME=VALUE");
            }
        });

        var command = new Command(Name, "Prints a signed URL (path and query, or a full URL with --base-url).")
        {
            source, sources, tokenEnv, baseUrl, noPathEncoding, expiresIn, token, path, parameters,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(source) is null) == (r.GetResult(tokenEnv) is null))
            {
                r.AddError("give exactly one of --source or --token-env");
            }
        });
        command.SetAction(parse =>
        {
            var request = new SignRequest(
                parse.GetRequiredValue(path),
                [.. (parse.GetValue(parameters) ?? []).Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1]))],
                parse.GetValue(source), parse.GetValue(sources), parse.GetValue(tokenEnv), parse.GetValue(baseUrl)?.TrimEnd('/'),
                parse.GetValue(noPathEncoding), parse.GetResult(expiresIn) is null ? null : parse.GetValue(expiresIn));
            return Run(request, context);
        });
        return command;
    }

    private static int Run(SignRequest request, CliContext context)
    {
        var path = request.Path;
        var noPathEncoding = request.NoPathEncoding;
        string token;
        if (request.TokenEnv is { } variable)
        {
            var value = context.Environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                return Fail(context, $"environment variable {variable} is not set or empty");
            }

            token = value;
        }
        else
        {
            SourceDefinition? definition;
            try
            {
                definition = SourceSigner.Load(request.SourcesFile, context.Environment).Find(request.Source!);
            }
            catch (SourcesFileException ex)
            {
                return Fail(context, ex.Message);
            }

            if (definition is null)
            {
                return Fail(context, $"no source named '{request.Source}' in the sources file");
            }

            if (!definition.RequiresSignature)
            {
                return Fail(context, $"source '{request.Source}' has no secureTokens; its URLs need no signature");
            }

            token = definition.SecureTokens[^1];
            var prefix = definition.PathPrefix == "/" ? string.Empty : definition.PathPrefix;
            var withSlash = path.StartsWith('/') ? path : "/" + path;
            var rest = prefix.Length > 0 && withSlash.StartsWith(prefix + "/", StringComparison.Ordinal) ? withSlash[prefix.Length..] : withSlash;
            // Encode the part after the prefix on its own, as js-core would for a client whose domain is this source:
            // a proxy source's "https://…" key is then encoded whole (encodeURIComponent), which is what the server
            // decodes. The prefix itself only contains URL-safe characters (sources.json enforces that).
            path = prefix + (noPathEncoding ? rest : UrlSigner.EncodePath(rest));
            noPathEncoding = true;
        }

        var parameters = request.Parameters.ToList();
        if (request.ExpiresIn is { } lifetime)
        {
            parameters.Add(new("expires", (context.Clock.GetUtcNow().ToUnixTimeSeconds() + lifetime).ToString(CultureInfo.InvariantCulture)));
        }

        string signed;
        try
        {
            signed = UrlSigner.Sign(token, path, parameters, noPathEncoding);
        }
        catch (ArgumentException ex)
        {
            return Fail(context, ex.Message);
        }

        context.Out.WriteLine((request.BaseUrl ?? string.Empty) + signed);
        return 0;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"imageproxy sign: {message}");
        return ImageProxyCli.UsageError;
    }

    private sealed record SignRequest(
        string Path, IReadOnlyList<KeyValuePair<string, string>> Parameters, string? Source, string? SourcesFile, string? TokenEnv,
        string? BaseUrl, bool NoPathEncoding, long? ExpiresIn);
}
