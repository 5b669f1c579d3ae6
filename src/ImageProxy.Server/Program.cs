using ImageProxy.Server.Caching;
using ImageProxy.Server.Cli;
using ImageProxy.Server.Cluster;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Http;
using ImageProxy.Server.Playground;
using ImageProxy.Server.Security;
using Microsoft.Extensions.Options;

// `imageproxy serve | sign | validate | warm | purge | health | version` (Cli/ImageProxyCli.cs). Every command but
// serve (the default) runs and exits there; serve comes back with its options as configuration arguments
// (--ImageProxy:Key=VALUE), or an unknown option has already stopped it.
var command = await ImageProxyCli.RunAsync(args, CliContext.FromProcess());
if (command.ServeArguments is not { } serveArguments)
{
    return command.ExitCode;
}

// ImageProxy composition root, top to bottom: configuration → services → start-up checks → endpoints.
try
{
    args = serveArguments;
    var builder = WebApplication.CreateBuilder(args);

    // appsettings.json is looked up in the content root, which is the current directory; run from the
    // repository (run.sh) it would be missed, so the copy next to the binary serves as the lowest layer.
    builder.Configuration.AddDefaultsBesideTheBinary(builder.Environment);

    // The command line again, above the layer just added, so it wins over every file.
    builder.Configuration.AddCommandLine(args);

    // ASP.NET's request-start lines print the full URL, query included: that is a signed URL's s=.
    // Kept here, not only in appsettings.json, so no configuration layout can bring them back by accident.
    builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
    // Likewise YARP's "Proxying to <URL>" line for every cluster hop.
    builder.Logging.AddFilter("Yarp", LogLevel.Warning);

    // Metrics (Prometheus, OTLP), traces and the request log: docs/observability.md.
    builder.AddTelemetry();
    builder.Services
        .AddProxyOptions(builder.Configuration)
        .AddOrigins()
        .AddImaging()
        .AddResultCaching(builder.Configuration)
        .AddSecurity(builder.Configuration)
        .AddCluster(builder.Configuration)
        .AddProblemDetails();

    var app = builder.Build();

    // Fail before listening: options, the sources file and libvips are each checked now, so a broken
    // deployment never answers a request. Configuration first: it is the likeliest mistake and the cheapest check.
    _ = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
    app.LoadSources();
    app.InitializeImaging();
    // Outermost, so refusals by the security middleware are counted and logged too.
    app.UseRequestTelemetry();
    app.UseMetricsEndpoint();
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
