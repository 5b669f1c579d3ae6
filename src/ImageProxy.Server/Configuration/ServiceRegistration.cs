using ImageProxy.Imaging;
using ImageProxy.Imaging.Faces;
using ImageProxy.Server.Diagnostics;
using ImageProxy.Server.Origins;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Configuration;

/// <summary>The composition root's building blocks, one extension per area.</summary>
public static class ServiceRegistration
{
    /// <summary>
    /// Adds the appsettings.json shipped beside the binary as the lowest-precedence source when the content
    /// root (the current directory) has none, so defaults apply wherever the server is started from.
    /// </summary>
    public static void AddDefaultsBesideTheBinary(this IConfigurationManager configuration, IHostEnvironment environment)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(Path.Combine(environment.ContentRootPath, "appsettings.json")) || !File.Exists(beside))
        {
            return;
        }

        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
    }

    public static IServiceCollection AddProxyOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>The source registry (sources.json is read when the registry is first resolved) and the watcher that reloads it.</summary>
    public static IServiceCollection AddOrigins(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ProxyOptions>>().Value;
            var path = SourcesFileLocator.Locate(options.SourcesFile);
            var definitions = SourcesFile.Load(path, options.Limits);
            Log.SourcesLoaded(provider.GetRequiredService<ILoggerFactory>().CreateLogger("ImageProxy.Server.Sources"), definitions.Count, path);
            return new SourceRegistry(SourceRegistry.BuildSources(definitions));
        });
        services.AddHostedService<SourcesWatcher>(); // re-reads sources.json on change
        return services;
    }

    public static IServiceCollection AddImaging(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ProxyOptions>>().Value;
            return new ProcessingGate(options.EffectiveConcurrentRenders, options.MaxQueuedRenders);
        });
        // One face finder per process: its cache of boxes per original serves every variant.
        services.AddSingleton(_ => new FaceFinder());
        services.AddSingleton<ImageRenderer>(provider =>
        {
            var encoding = provider.GetRequiredService<IOptions<ProxyOptions>>().Value.Encoding;
            var faces = provider.GetRequiredService<FaceFinder>();
            return (source, plan, format, limits, detectFaces, overlays, cancellationToken) =>
                PlanExecutor.Render(source, plan, format, limits, encoding, detectFaces ? faces : null, overlays, cancellationToken);
        });
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ProxyOptions>>().Value;
            return new RenderQueue(
                provider.GetRequiredService<ProcessingGate>(), provider.GetRequiredService<ImageRenderer>(),
                TimeSpan.FromSeconds(options.ProcessingTimeoutSeconds), provider.GetService<Diagnostics.ProxyMetrics>());
        });
        return services;
    }

    /// <summary>
    /// Loads libvips (refusing to start without it: a proxy that cannot render is only a 500 factory)
    /// and writes the capability line.
    /// </summary>
    public static void InitializeImaging(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        VipsRuntime.Initialize(string.IsNullOrWhiteSpace(options.LibvipsPath) ? null : options.LibvipsPath, options.VipsConcurrency);
        Log.LibvipsReady(app.Logger, VipsRuntime.Version, VipsRuntime.LibraryPath,
            string.Join(',', Capabilities.Loaders()), string.Join(',', Capabilities.Savers()));
        if (!string.IsNullOrWhiteSpace(options.CacheDir))
        {
            Log.CacheDirectoryConfigured(app.Logger, Path.GetFullPath(options.CacheDir));
        }
    }

    /// <summary>Reads and validates the sources file now rather than on the first request, and lists what is enabled.</summary>
    public static void LoadSources(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<SourceRegistry>();
        foreach (var source in registry.Sources)
        {
            var definition = source.Definition;
            Log.SourceEnabled(app.Logger, definition.Name, SourceKinds.NameOf(definition.Kind),
                definition.PathPrefix, definition.RequiresSignature, definition.CacheMaxAge);
        }
    }
}
