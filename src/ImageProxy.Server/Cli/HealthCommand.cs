using System.CommandLine;
using System.Globalization;

namespace ImageProxy.Server.Cli;

/// <summary>
/// <c>imageproxy health [--base URL] [--ready] [--timeout SECONDS]</c>: exit 0 when the running server answers its live
/// (or ready) endpoint with 200, else 1. For container health checks in images without curl or a shell.
/// </summary>
public static class HealthCommand
{
    public const string Name = "health";

    public static Command Create(CliContext context)
    {
        var baseUrl = ImageProxyCli.ServerUrlOption("--base", $"The server (default: ASPNETCORE_URLS, else {LocalServer.Fallback})");
        var ready = new Option<bool>("--ready") { Description = "Ask the ready endpoint (runs a tiny libvips operation) instead of the live one" };
        var timeout = new Option<double>("--timeout") { HelpName = "SECONDS", Description = "Unhealthy when no answer within this long", DefaultValueFactory = _ => 3 }
            .InRange(0.1, 300);
        var command = new Command(Name, "Checks a running server: exit 0 = healthy, 1 = not.") { baseUrl, ready, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var server = new Uri(parse.GetValue(baseUrl) ?? LocalServer.BaseUrl(context.Environment));
            var endpoint = new Uri(server, parse.GetValue(ready) ? "/_imageproxy/health/ready" : "/_imageproxy/health/live");
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };
            try
            {
                using var response = await client.GetAsync(endpoint, cancellationToken);
                var status = (int)response.StatusCode;
                await (response.IsSuccessStatusCode ? context.Out : context.Error).WriteLineAsync(
                    string.Create(CultureInfo.InvariantCulture, $"{endpoint}: {status}"));
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await context.Error.WriteLineAsync($"{endpoint}: {(ex is TaskCanceledException ? "no answer in time" : ex.Message)}");
                return 1;
            }
        });
        return command;
    }
}
