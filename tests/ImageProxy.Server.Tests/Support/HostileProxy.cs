using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The real server (Program, libvips, folder/web origins) with settings and sources chosen per test: a folder
/// source "img" at /img over images/, a signed folder source "signed" at /signed over the same files, plus any
/// extra source entries. Every log line is captured in <see cref="Logs"/>.
/// </summary>
public sealed class HostileProxy : WebApplicationFactory<Program>
{
    public const string Token = "hostile-test-token-7f3a";

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public HostileProxy(
        Action<string>? populate = null, IReadOnlyDictionary<string, string?>? settings = null, string extraSources = "",
        Action<IServiceCollection>? services = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("imageproxy-hostile-").FullName;
        Images = Path.Combine(Directory, "images");
        System.IO.Directory.CreateDirectory(Images);
        File.WriteAllBytes(Path.Combine(Images, "pic.png"), TestImages.Png(64, 32));
        populate?.Invoke(Images);
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;

        SourcesPath = Path.Combine(Directory, "sources.json");
        File.WriteAllText(SourcesPath, $$$"""
            {"sources":[
              {"name":"img","pathPrefix":"/img","kind":"folder","folder":{"root":"./images"}},
              {"name":"signed","pathPrefix":"/signed","kind":"folder","folder":{"root":"./images"},"secureTokens":["{{{Token}}}"]}
              {{{extraSources}}}
            ]}
            """);
    }

    public string Directory { get; }

    public string Images { get; }

    public string SourcesPath { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ImageProxy:SourcesFile", SourcesPath);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Production");
        // Added next to the configured providers, so the configured levels (appsettings.json) still apply.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
