using ImageProxy.Server.Configuration;
using ImageProxy.Server.Http;
using ImageProxy.Server.Security;
using Microsoft.Extensions.Options;

// ImageProxy composition root, top to bottom: configuration → services → start-up checks → endpoints.
if (args.Length > 0 && args[0] == ImageProxy.Server.Cli.SignCommand.Name)
{
    // `imageproxy sign …` prints a signed URL and exits; it never starts the server.
    return ImageProxy.Server.Cli.SignCommand.Run(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System);
}

try
{
    var builder = WebApplication.CreateBuilder(args);

    // --sources, --libvips and --cache-dir are aliases of ImageProxy:* keys; --urls is Kestrel's own.
    builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(CommandLineSwitches.Mappings));

    builder.Services
        .AddProxyOptions(builder.Configuration)
        .AddOrigins()
        .AddImaging()
        .AddSecurity(builder.Configuration)
        .AddProblemDetails();

    var app = builder.Build();

    // Fail before listening: options, the sources file and libvips are each checked now, so a broken
    // deployment never answers a request. Configuration first: it is the likeliest mistake and the cheapest check.
    _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
    app.LoadSources();
    app.InitializeImaging();
    app.UseSecurity();

    app.MapOpsEndpoints();
    app.MapImageEndpoints();

    app.Run();
    return 0;
}
catch (Exception ex) when (ex is SourcesFileException or OptionsValidationException or DllNotFoundException)
{
    // Configuration mistakes (and a missing libvips) are for humans: the message names the key or the
    // library; a stack trace would only bury it.
    Console.Error.WriteLine($"imageproxy: cannot start: {ex.Message}");
    return 2;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
