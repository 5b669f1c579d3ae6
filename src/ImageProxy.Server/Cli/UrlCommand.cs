using System.CommandLine;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy url [options] PATH [NAME=VALUE ...]</c>: prints one image URL, built by ImageProxy.Client (what
/// @imgix/js-core builds), signed when the token options give a token, unsigned otherwise. Unlike <c>sign</c> it is
/// not an error for the source to be unsigned: this is the command for any URL.
/// </summary>
public static class UrlCommand
{
    public const string Name = "url";

    public static Command Create(CliContext context)
    {
        var line = new UrlCommandLine();
        var command = new Command(Name, "Prints one image URL, signed when --source or --token-env gives a token.");
        line.AddTo(command);
        command.SetAction(parse =>
        {
            if (line.TryCreateBuilder(parse, context.Environment, out var builder, out var path) is { } tokenError)
            {
                return Fail(context, tokenError);
            }

            try
            {
                context.Out.WriteLine(builder.BuildUrl(path, line.Parameters(parse), line.Expires(parse, context.Clock)));
            }
            catch (ArgumentException ex)
            {
                return Fail(context, ex.Message);
            }

            return 0;
        });
        return command;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"imageproxy url: {message}");
        return ImageProxyCli.UsageError;
    }
}
