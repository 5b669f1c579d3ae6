using System.Runtime.CompilerServices;
using ImageProxy.Imaging;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using ImageProxy.Transform;

namespace ImageProxy.Server.Overlays;

/// <summary>
/// Turns an overlay reference into the object that holds it: a path is an object of the request's own source (its
/// origin, its cache entries); a URL is an object of the source's overlay-URL origin, a pseudo-source named
/// "&lt;source&gt;~overlay" ('~' never occurs in a configured name), refused unless the source lists the host.
/// </summary>
public sealed class OverlayTargets
{
    // One URL origin (one connection pool) per source definition; a reloaded sources file brings new definitions.
    private readonly ConditionalWeakTable<SourceDefinition, ImageSource> _urlSources = new();

    public static string UrlSourceName(SourceDefinition source) => source.Name + "~overlay";

    /// <summary>The overlay's object, as a request for its original; a refusal (403, 400) names the parameter.</summary>
    public ImageRequest For(ImageRequest request, string parameter, ImageReference image)
    {
        var definition = request.Source.Definition;
        if (image.Kind == ImageReferenceKind.SourcePath)
        {
            if (!ObjectKey.IsSafe(image.Location))
            {
                throw new ImagingException(TransformError.BadParameter(parameter, "not a valid path in this source"));
            }

            return Original(request, request.Source, image.Location);
        }

        var url = new Uri(image.Location, UriKind.Absolute);
        if (!OverlayUrlOrigin.IsAllowed(definition, url))
        {
            throw new ImagingException(new TransformError(403, 
                $"Invalid value for parameter '{parameter}': host '{url.IdnHost}' is not in this source's overlayHosts"));
        }

        var maxBytes = definition.Limits.MaxSourceBytes;
        var source = _urlSources.GetValue(definition, d => new ImageSource(d with { Name = UrlSourceName(d) }, new OverlayUrlOrigin(d, maxBytes)));
        return Original(request, source, image.Location);
    }

    private static ImageRequest Original(ImageRequest request, ImageSource source, string key) =>
        new(source, key, TransformPlan.Default, request.Format, ClientConditions.None);
}
