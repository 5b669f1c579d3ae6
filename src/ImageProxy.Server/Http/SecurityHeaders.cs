using Microsoft.Net.Http.Headers;

namespace ImageProxy.Server.Http;

/// <summary>
/// Headers every response carries, whatever produced it (image, 304, error, ops endpoint, 404 from routing).
/// Set at OnStarting so that no code path (an error written by the framework, a rate-limiter rejection) can
/// forget them. Nothing here is derived from the request.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// For anything a browser might render as a document (JSON problem details, text, SVG, HTML): no scripts, no
    /// subresources, no framing, and a sandbox, so even content we did not expect cannot run in our origin.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            // Without nosniff a browser may "sniff" an error body or a hostile upload as HTML and run it.
            headers.XContentTypeOptions = "nosniff";
            // An endpoint that serves a real page (the playground) sets its own, equally strict, policy.
            if (NeedsPolicy(response.ContentType) && string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }

    /// <summary>
    /// Raster images are never run as documents and some browsers' image viewers dislike default-src 'none';
    /// everything else, including SVG (which can carry script) and responses without a type, gets the policy.
    /// </summary>
    public static bool NeedsPolicy(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return true;
        }

        var type = media.MediaType.Value ?? string.Empty;
        return !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || type.Contains("svg", StringComparison.OrdinalIgnoreCase);
    }
}
