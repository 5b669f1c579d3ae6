using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Turns the raw path after a source's prefix into an object key. Decoding happens exactly ONCE, here,
/// and every check runs on the decoded text: checking before decoding would let %2e%2e or %2F.. through,
/// and decoding again later would turn a literal "%252e" into "..".
/// </summary>
public static class ObjectKey
{
    public const int MaxLength = 1024;

    /// <summary>False for keys no origin may see: empty, absolute, '.'/'..'/empty segments, backslashes, NUL or other control characters.</summary>
    public static bool TryDecode(string rawKey, out string key)
    {
        key = string.Empty;
        if (rawKey.Length == 0 || rawKey.Length > MaxLength * 3)
        {
            return false;
        }

        var decoded = Uri.UnescapeDataString(rawKey);
        if (!IsSafe(decoded))
        {
            return false;
        }

        key = decoded;
        return true;
    }

    /// <summary>
    /// Decodes the raw key for a source of <paramref name="kind"/>. A proxy source's key is a whole URL
    /// ("https%3A%2F%2Fexample.com%2Fa.jpg" decodes to "https://example.com/a.jpg"), whose "//" the
    /// storage-key rules would refuse, so it gets the URL rules instead.
    /// </summary>
    public static bool TryDecode(string rawKey, SourceKind kind, out string key)
    {
        if (kind != SourceKind.Proxy)
        {
            return TryDecode(rawKey, out key);
        }

        key = string.Empty;
        if (rawKey.Length == 0 || rawKey.Length > MaxLength * 3)
        {
            return false;
        }

        var decoded = Uri.UnescapeDataString(rawKey);
        if (!TryParseProxyUrl(decoded, out _))
        {
            return false;
        }

        key = decoded;
        return true;
    }

    /// <summary>An absolute http(s) URL with a host, no user info and no control characters.</summary>
    public static bool TryParseProxyUrl(string text, out Uri url)
    {
        url = null!;
        if (text.Length == 0 || text.Length > MaxLength * 2 || text.Any(char.IsControl) || text.Contains('\\'))
        {
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host)
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        url = parsed;
        return true;
    }

    /// <summary>Each '/'-separated segment percent-encoded: spaces, '+', '%', '?', '#' and non-ASCII stay part of the name.</summary>
    public static string EscapeSegments(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The same rules for a key that is already decoded; origins re-check as defence in depth.</summary>
    public static bool IsSafe(string key)
    {
        if (key.Length == 0 || key.Length > MaxLength || key[0] == '/' || Path.IsPathRooted(key))
        {
            return false;
        }

        foreach (var c in key)
        {
            // Backslash is a separator on Windows and a classic traversal smuggler; control characters
            // (NUL first of all) truncate or confuse file APIs and logs.
            if (c == '\\' || char.IsControl(c))
            {
                return false;
            }
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }
}
