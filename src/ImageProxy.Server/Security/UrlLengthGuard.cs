using ImageProxy.Server.Http;
using ImageProxy.Transform;

namespace ImageProxy.Server.Security;

/// <summary>
/// Refuses request targets longer than <see cref="SecurityOptions.MaxUrlLength"/> with 414 before any routing,
/// parsing or signature work. Long URLs are the cheapest way to make the parser, the signature MD5 and the log
/// do work for nothing; imgix itself stops at 8,000 characters, so no legitimate imgix URL is longer.
/// </summary>
public static class UrlLengthGuard
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next, int maxLength)
    {
        // Measured on the raw target as sent (still percent-encoded): that is what the client controls and what
        // Kestrel buffered, and it cannot shrink by decoding tricks.
        // Path + '?' + query, without the '?' of an empty query; no substrings: this runs for every request.
        var raw = RequestTarget.Raw(context);
        var length = raw.Length - (raw.EndsWith('?') ? 1 : 0);
        if (length > maxLength)
        {
            return ErrorResults.WriteAsync(context, ServerError.UrlTooLong(maxLength));
        }

        return next(context);
    }
}
