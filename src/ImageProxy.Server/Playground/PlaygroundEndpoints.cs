using System.Reflection;
using ImageProxy.Client;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Http;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImageProxy.Server.Playground;

/// <summary>
/// <c>GET /_imageproxy/parameters</c> (always): the parameter table as JSON, so tools and the playground are generated
/// from the code and cannot drift. When <c>ImageProxy:Playground:Enabled</c>: <c>/_imageproxy/playground</c>, its
/// script and stylesheet (embedded in this assembly: no external scripts or styles), and the sources it can show.
/// </summary>
public static class PlaygroundEndpoints
{
    public const string PagePath = OpsEndpoints.Prefix + "/playground";

    /// <summary>
    /// The page needs only its own script and stylesheet, JSON from this origin (fetch), and images from this origin
    /// (the "before" image) or blob: URLs (the "after" image, read through fetch so its headers can be shown).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".heic", ".heif", ".tif", ".tiff", ".svg", ".jxl"];
    private const int MaxListedImages = 500;

    private static readonly (string Name, string ContentType)[] Assets =
    [
        ("playground.html", "text/html; charset=utf-8"),
        ("playground.js", "text/javascript; charset=utf-8"),
        ("md5.js", "text/javascript; charset=utf-8"),
        ("playground.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapPlaygroundEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OpsEndpoints.Prefix + "/parameters", () => Results.Json(ParameterTable()));

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (!options.Playground.Enabled)
        {
            return endpoints;
        }

        foreach (var (name, contentType) in Assets)
        {
            var bytes = ReadAsset(name);
            var path = name == "playground.html" ? PagePath : $"{PagePath}/{name}";
            endpoints.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            });
        }

        endpoints.MapGet($"{PagePath}/sources.json", (SourceRegistry registry) => Results.Json(new
        {
            sources = registry.Sources.OrderBy(s => s.Definition.PathPrefix, StringComparer.Ordinal).Select(s => new
            {
                name = s.Name,
                pathPrefix = s.Definition.PathPrefix,
                signed = s.Definition.RequiresSignature,
                kind = Configuration.SourceKinds.NameOf(s.Definition.Kind),
                images = s.Definition.Folder is { } folder ? ListImages(folder.Root) : [],
            }),
            widthBuckets = options.ClientHints.EffectiveWidthBuckets,
            srcsetWidths = SrcsetBuilder.DefaultWidths,
        }));
        return endpoints;
    }

    /// <summary>Every parameter: canonical name, aliases and accepted values, in the table's (application) order.</summary>
    public static IReadOnlyList<object> ParameterTable() =>
    [
        .. Parameters.All.Select(p => new { name = p.Name, aliases = p.Aliases, values = p.Values }),
    ];

    /// <summary>Image files under a folder source's root (relative, '/'-separated, sorted), without following links out.</summary>
    private static string[] ListImages(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            MaxRecursionDepth = 4,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint | FileAttributes.System,
        };
        return Directory.EnumerateFiles(root, "*", enumeration)
            .Where(file => ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Select(file => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(relative => !relative.Split('/').Any(segment => segment is "bin" or "obj" || segment.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .Take(MaxListedImages)
            .ToArray();
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ImageProxy.Playground.{name}")
            ?? throw new InvalidOperationException($"playground asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
