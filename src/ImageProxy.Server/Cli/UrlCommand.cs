namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy url [options] PATH [NAME=VALUE ...]</c>: prints one image URL, built by ImageProxy.Client (what
/// @imgix/js-core builds), signed when the token options give a token, unsigned otherwise. Unlike <c>sign</c> it is
/// not an error for the source to be unsigned: this is the command for any URL.
/// </summary>
public static class UrlCommand
{
    public const string Name = "url";

    private const string Usage = """
        usage: imageproxy url [--source NAME [--sources FILE] | --token-env VAR] [--base-url URL] [--expires-in SECONDS]
                              PATH [NAME=VALUE ...]
          PATH          the image path; with --source it may omit the source's pathPrefix (it is added)
          NAME=VALUE    imgix parameters in URL order, unencoded (NAME64 values are base64url-encoded for you)
          --source      signs with the source's newest token when it has secureTokens
          --token-env   signs with the token in this environment variable
          --expires-in  adds expires=<now + SECONDS> (Unix time)
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<string, string?> environment, TimeProvider clock)
    {
        if (UrlCommandLine.TryParse(args, new HashSet<string>(), new HashSet<string>(), out var line) is { } parseError)
        {
            return Fail(error, parseError);
        }

        if (line.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }

        if (line.TryCreateBuilder(environment, out var builder, out var path) is { } tokenError)
        {
            return Fail(error, tokenError);
        }

        try
        {
            output.WriteLine(builder.BuildUrl(path, line.Parameters, line.Expires(clock)));
        }
        catch (ArgumentException ex)
        {
            return Fail(error, ex.Message);
        }

        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"imageproxy url: {message}");
        error.WriteLine(Usage);
        return 2;
    }
}
