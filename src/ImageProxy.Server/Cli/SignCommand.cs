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

    private const string Usage = """
        usage: imageproxy sign (--source NAME [--sources FILE] | --token-env VAR) [--expires-in SECONDS]
                               [--base-url URL] [--no-path-encoding] PATH [NAME=VALUE ...]
          PATH          the image path; with --source it may omit the source's pathPrefix (it is added)
          NAME=VALUE    imgix parameters in URL order, unencoded (NAME64 values are base64url-encoded for you)
          --expires-in  adds expires=<now + SECONDS> (Unix time)
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider clock)
    {
        string? source = null, sourcesFile = null, tokenEnv = null, baseUrl = null, path = null;
        long? expiresIn = null;
        var noPathEncoding = false;
        var parameters = new List<KeyValuePair<string, string>>();

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (arg)
            {
                case "--source": source = Next(); break;
                case "--sources": sourcesFile = Next(); break;
                case "--token-env": tokenEnv = Next(); break;
                case "--base-url": baseUrl = Next()?.TrimEnd('/'); break;
                case "--no-path-encoding": noPathEncoding = true; break;
                case "--expires-in":
                    if (!long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    {
                        return Fail(error, "--expires-in needs a whole number of seconds");
                    }

                    expiresIn = seconds;
                    break;
                case "--token":
                    return Fail(error, "--token is not supported: command lines are visible to other users; use --token-env or --source");
                case "-h" or "--help":
                    output.WriteLine(Usage);
                    return 0;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        return Fail(error, $"unknown option {arg}");
                    }

                    if (path is null)
                    {
                        path = arg;
                    }
                    else
                    {
                        var equals = arg.IndexOf('=');
                        if (equals <= 0)
                        {
                            return Fail(error, $"parameter '{arg}' is not NAME=VALUE");
                        }

                        parameters.Add(new(arg[..equals], arg[(equals + 1)..]));
                    }

                    break;
            }
        }

        if (path is null)
        {
            return Fail(error, "PATH is required");
        }

        if ((source is null) == (tokenEnv is null))
        {
            return Fail(error, "give exactly one of --source or --token-env");
        }

        string token;
        if (tokenEnv is not null)
        {
            var value = environment(tokenEnv);
            if (string.IsNullOrEmpty(value))
            {
                return Fail(error, $"environment variable {tokenEnv} is not set or empty");
            }

            token = value;
        }
        else
        {
            SourceDefinition? definition;
            try
            {
                var file = SourcesFileLocator.Locate(sourcesFile);
                definition = SourcesFile.Load(file, Limits.Default.MaxSourceBytes, environment).FirstOrDefault(d => d.Name == source);
            }
            catch (SourcesFileException ex)
            {
                return Fail(error, ex.Message);
            }

            if (definition is null)
            {
                return Fail(error, $"no source named '{source}' in the sources file");
            }

            if (!definition.RequiresSignature)
            {
                return Fail(error, $"source '{source}' has no secureTokens; its URLs need no signature");
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

        if (expiresIn is { } lifetime)
        {
            parameters.Add(new("expires", (clock.GetUtcNow().ToUnixTimeSeconds() + lifetime).ToString(CultureInfo.InvariantCulture)));
        }

        string signed;
        try
        {
            signed = UrlSigner.Sign(token, path, parameters, noPathEncoding);
        }
        catch (ArgumentException ex)
        {
            return Fail(error, ex.Message);
        }

        output.WriteLine((baseUrl ?? string.Empty) + signed);
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"imageproxy sign: {message}");
        error.WriteLine(Usage);
        return 2;
    }
}
