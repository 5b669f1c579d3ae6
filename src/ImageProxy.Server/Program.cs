using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Http;
using Microsoft.Extensions.Options;

// ImageProxy composition root, top to bottom: configuration → services → start-up checks → endpoints.
try
{
    if (args.Length > 0 && args[0] == "warm")
    {
        return await WarmCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
    }

    args = [.. args.Select(arg => CommandLineSwitches.Flags.GetValueOrDefault(arg, arg))];
    var builder = WebApplication.CreateBuilder(args);

    // --sources, --libvips and --cache-dir are aliases of ImageProxy:* keys; --urls is Kestrel's own.
    builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(CommandLineSwitches.Mappings));

    builder.Services
        .AddProxyOptions(builder.Configuration)
        .AddOrigins()
        .AddImaging()
        .AddResultCaching(builder.Configuration)
        .AddProblemDetails();

    var app = builder.Build();

    // Fail before listening: options, libvips and the sources file are each checked now, so a broken
    // deployment never answers a request.
    _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
    app.InitializeImaging();
    app.LoadSources();

    app.MapOpsEndpoints();
    app.MapAdminEndpoints();
    app.MapImageEndpoints();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is SourcesFileException or OptionsValidationException)
{
    // Configuration mistakes are for humans: the message names the key; a stack trace would only bury it.
    Console.Error.WriteLine($"imageproxy: cannot start: {ex.Message}");
    return 2;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
