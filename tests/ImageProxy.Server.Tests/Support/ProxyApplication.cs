using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The real server (real Program, real libvips, real folder origins) over a temporary directory:
/// images/ holds generated and corpus images, outside/ holds a valid image that must never be reachable.
/// </summary>
public sealed class ProxyApplication : WebApplicationFactory<Program>
{
    public const string SigningToken = "test-token-123";

    /// <param name="extraSources">More source objects (JSON, comma-separated) appended to the standard four.</param>
    public ProxyApplication(string? extraSources = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("imageproxy-e2e-").FullName;
        var images = Path.Combine(Directory, "images");
        var nested = Path.Combine(Directory, "nested");
        var outside = Path.Combine(Directory, "outside");
        System.IO.Directory.CreateDirectory(images);
        System.IO.Directory.CreateDirectory(nested);
        System.IO.Directory.CreateDirectory(outside);

        File.WriteAllBytes(Path.Combine(images, "pic.png"), TestImages.Png(200, 100));
        File.WriteAllBytes(Path.Combine(images, "cat and dog.png"), TestImages.Png(40, 20));
        File.WriteAllBytes(Path.Combine(nested, "pic.png"), TestImages.Png(30, 60));
        File.WriteAllBytes(Path.Combine(outside, "secret.png"), TestImages.Png(10, 10));
        File.WriteAllText(Path.Combine(images, "garbage.png"), "<html>this is not an image</html>");
        File.WriteAllBytes(Path.Combine(images, "truncated.png"), TestImages.Png(200, 100)[..60]);
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "icc-adobergb-rocket-640x427.jpg"), Path.Combine(images, "photo.jpg"));

        SourcesPath = Path.Combine(Directory, "sources.json");
        File.WriteAllText(SourcesPath, $$$"""
            {"sources":[
              {"name":"samples","pathPrefix":"/samples","kind":"folder","folder":{"root":"./images"}},
              {"name":"nested","pathPrefix":"/samples/nested","kind":"folder","folder":{"root":"./nested"}},
              {"name":"signed","pathPrefix":"/signed","kind":"folder","folder":{"root":"./images"},"secureTokens":["old-token","{{{SigningToken}}}"]},
              {"name":"defaults","pathPrefix":"/defaults","kind":"folder","folder":{"root":"./images"},
               "defaultParams":{"auto":"format"},"cacheMaxAge":600}
              {{{(extraSources is null ? "" : "," + extraSources)}}}
            ]}
            """);
    }

    public string Directory { get; }

    public string SourcesPath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ImageProxy:SourcesFile", SourcesPath);
        builder.UseEnvironment("Production");
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
