using Microsoft.AspNetCore.Http.Features;

namespace ImageProxy.Server.Http;

/// <summary>
/// The request target exactly as the client sent it, split into raw path and raw query (without '?').
/// Signatures are computed over these bytes, so they must not go through ASP.NET's decoding and
/// normalisation (HttpRequest.Path has already decoded %xx and removed dot segments).
/// </summary>
public sealed record RequestTarget(string RawPath, string RawQuery)
{
    public static RequestTarget From(HttpContext context)
    {
        var raw = Raw(context);
        var question = raw.IndexOf('?');
        return question < 0 ? new RequestTarget(raw, string.Empty) : new RequestTarget(raw[..question], raw[(question + 1)..]);
    }

    /// <summary>Path and query as one string, still encoded: what the client sent in origin-form.</summary>
    public static string Raw(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            // Hosts that do not supply the raw target (some test servers): rebuild it from the
            // still-escaped forms, which is what a client would have sent for these values.
            raw = context.Request.PathBase.Add(context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }
        else if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute))
        {
            // absolute-form (RFC 9112 3.2.2), sent to proxies: keep only path and query, still encoded.
            raw = absolute.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        }

        return raw;
    }
}
