using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Http;
using ImageProxy.Server.Playground;
using ImageProxy.Server.Security;
using Microsoft.Extensions.Options;

// ImageProxy composition root, top to bottom: configuration → services → start-up checks → endpoints.
if (args.Length > 0 && args[0] == ImageProxy.Server.Cli.SignCommand.Name)
{
    // `imageproxy sign …` prints a signed URL and exits; it never starts the server.
    return ImageProxy.Server.Cli.SignCommand.Run(args[1..], Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System);
}

// `validate --sources FILE` checks a sources file and exits; it never starts the server.
if (ValidateCommand.Matches(args))
{
    return ValidateCommand.Run(args, Console.Out, Console.Error);
}

try
{
    if (args.Length > 0 && args[0] == "warm")
    {
        return await WarmCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
    }

    args = [.. args.Select(arg => CommandLineSwitches.Flags.GetValueOrDefault(arg, arg))];
    var builder = WebApplication.CreateBuilder(args);

    // appsettings.json is looked up in the content root, which is the current directory; run from the
    // repository (run.sh) it would be missed, so the copy next to the binary serves as the lowest layer.
    builder.Configuration.AddDefaultsBesideTheBinary(builder.Environment);

    // --sources, --libvips and --cache-dir are aliases of ImageProxy:* keys; --urls is Kestrel's own.
    builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(CommandLineSwitches.Mappings));

    // ASP.NET's request-start lines print the full URL, query included: that is a signed URL's s=.
    // Kept here, not only in appsettings.json, so no configuration layout can bring them back by accident.
    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

    builder.Services
        .AddProxyOptions(builder.Configuration)
        .AddOrigins()
        .AddImaging()
        .AddResultCaching(builder.Configuration)
        .AddSecurity(builder.Configuration)
        .AddProblemDetails();

    var app = builder.Build();

    // Fail before listening: options, the sources file and libvips are each checked now, so a broken
    // deployment never answers a request. Configuration first: it is the likeliest mistake and the cheapest check.
    _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
    app.LoadSources();
    app.InitializeImaging();
    app.UseSecurity();
    // Explicitly here, after the security middleware: otherwise routing would run first, also for memo hits.
    app.UseRouting();

    app.MapOpsEndpoints();
    app.MapAdminEndpoints();
    app.MapPlaygroundEndpoints();
    app.MapImageEndpoints();

    await app.RunAsync();
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
