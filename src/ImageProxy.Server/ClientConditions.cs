namespace ImageProxy.Server;

/// <summary>
/// The client's conditional headers. Our ETag is the cache key, so If-None-Match is compared against it;
/// If-Modified-Since is only consulted when no If-None-Match was sent (RFC 9110 13.2.2).
/// </summary>
public sealed record ClientConditions(IReadOnlyList<string> IfNoneMatch, DateTimeOffset? IfModifiedSince)
{
    public static readonly ClientConditions None = new([], null);

    /// <summary>If-None-Match (every listed tag) and If-Modified-Since as the client sent them.</summary>
    public static ClientConditions From(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.IfNoneMatch.Count == 0 && headers.IfModifiedSince.Count == 0)
        {
            return None;
        }

        var tags = headers.IfNoneMatch
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        var since = request.GetTypedHeaders().IfModifiedSince;
        return tags.Length == 0 && since is null ? None : new ClientConditions(tags, since);
    }

    /// <summary>True when the client already holds the representation with this ETag / modification time.</summary>
    public bool IsSatisfiedBy(string etag, DateTimeOffset? lastModified)
    {
        if (IfNoneMatch.Count > 0)
        {
            // Weak comparison, as RFC 9110 prescribes for If-None-Match: a CDN may have weakened our tag (W/"...").
            return IfNoneMatch.Any(tag => tag == "*" || StripWeak(tag) == etag);
        }

        return IfModifiedSince is { } since && lastModified is { } modified && modified <= since;
    }

    private static string StripWeak(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}
