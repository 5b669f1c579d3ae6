using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy purge [--base URL] [--token-env VAR] PATH ...</c>: drops every cached variant of these objects through
/// the running server's <c>POST /_imageproxy/purge</c> (all its tiers, other nodes over Redis, the CDN webhook).
/// </summary>
/// <remarks>The admin token comes from the environment, never from argv (visible in `ps`).</remarks>
public static class PurgeCommand
{
    public const string Name = "purge";

    /// <summary>Read when --token-env is not given; the second is the server's own setting, so it also works beside the server.</summary>
    public static readonly string[] DefaultTokenVariables = ["IMAGEPROXY_ADMIN_TOKEN", $"{ProxyOptions.SectionName}__AdminToken"];

    public static Command Create(CliContext context)
    {
        var baseUrl = ImageProxyCli.ServerUrlOption("--base", $"The server (default: ASPNETCORE_URLS, else {LocalServer.Fallback})");
        var tokenEnv = new Option<string>("--token-env")
        {
            HelpName = "VAR",
            Description = $"Environment variable holding the admin token (default: {string.Join(", then ", DefaultTokenVariables)})",
        };
        var timeout = new Option<int>("--timeout") { HelpName = "SECONDS", Description = "Give up after this long", DefaultValueFactory = _ => 30 }
            .InRange(1, 3600);
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "Object paths as requested, e.g. /products/shoe.jpg (a query is ignored)" }
            .RefusingOptions();
        var command = new Command(Name, "Purges cached variants of objects on a running server (token from the environment).")
        {
            baseUrl, tokenEnv, timeout, paths,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var variables = parse.GetValue(tokenEnv) is { } named ? [named] : DefaultTokenVariables;
            var token = variables.Select(context.Environment).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            if (token is null)
            {
                context.Error.WriteLine($"imageproxy purge: no admin token: set {string.Join(" or ", variables)}");
                return Task.FromResult(ImageProxyCli.UsageError);
            }

            var server = new Uri(parse.GetValue(baseUrl) ?? LocalServer.BaseUrl(context.Environment));
            return RunAsync(server, token, parse.GetRequiredValue(paths), TimeSpan.FromSeconds(parse.GetValue(timeout)), context, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Uri server, string token, string[] paths, TimeSpan timeout, CliContext context, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/_imageproxy/purge"))
        {
            Content = JsonContent.Create(new { paths }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    await context.Out.WriteLineAsync(body);
                    return Unknown(body) is { Count: > 0 } unknown
                        ? Fail(context, $"no source serves: {string.Join(", ", unknown)}", 1)
                        : 0;
                case HttpStatusCode.Unauthorized:
                    return Fail(context, "the server refused the admin token (401)", 1);
                case HttpStatusCode.NotFound:
                    return Fail(context, "the server has no admin token configured, so it has no purge endpoint (404)", 1);
                default:
                    return Fail(context, $"the server answered {(int)response.StatusCode}: {body}", 1);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Fail(context, $"cannot reach {server}: {ex.Message}", 1);
        }
    }

    private static List<string>? Unknown(string body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("unknown", out var unknown)
            ? [.. unknown.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : null;
    }

    private static int Fail(CliContext context, string message, int code)
    {
        context.Error.WriteLine($"imageproxy purge: {message}");
        return code;
    }
}
