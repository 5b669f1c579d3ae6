using System.Net;

namespace ImageProxy.Server.Origins;

/// <summary>
/// How the origins that speak HTTP themselves (web, proxy) turn a response into an <see cref="OriginResult"/>,
/// so a 403 means the same thing whichever kind produced it.
/// </summary>
public static class HttpOriginResponse
{
    /// <param name="sourceName">Named in every failure so ops can tell which source broke (never a secret).</param>
    public static async Task<OriginResult> ReadAsync(string sourceName, HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        var etag = ETagOf(response);
        var lastModified = response.Content.Headers.LastModified;
        var status = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotModified:
                return OriginResult.NotModified(etag, lastModified);
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                return OriginResult.NotFound;
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new OriginUnavailableException($"Source '{sourceName}': the origin denied access ({status}); check the source's credentials.", transient: false);
            case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError:
                throw new OriginUnavailableException($"Source '{sourceName}': the origin answered {status}.");
            case >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices:
                break;
            default:
                throw new OriginUnavailableException($"Source '{sourceName}': the origin answered {status}.", transient: false);
        }

        // Refuse early when the origin admits the size; still count below, because Content-Length can lie or be absent.
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new SourceTooLargeException(maxBytes);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var bytes = await CappedReader.ReadAllAsync(body, maxBytes, declared, cancellationToken);
        return OriginResult.Ok(bytes, etag, lastModified, response.Content.Headers.ContentType?.MediaType);
    }

    // Some stores send unquoted ETags, which the typed header rejects; keep the raw text then rather than losing it.
    private static string? ETagOf(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { } typed)
        {
            return typed.ToString();
        }

        return response.Headers.TryGetValues("ETag", out var raw) ? raw.FirstOrDefault() : null;
    }

    /// <summary>Adds the caller's validators, so an unchanged original costs a 304 instead of a download.</summary>
    public static void AddValidators(HttpRequestMessage request, OriginValidators validators)
    {
        if (validators.IfNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", validators.IfNoneMatch);
        }

        if (validators.IfModifiedSince is { } since)
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", since.ToUniversalTime().ToString("R"));
        }
    }

    /// <summary>True when <paramref name="exception"/> or any inner exception is a <typeparamref name="T"/>.</summary>
    public static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
