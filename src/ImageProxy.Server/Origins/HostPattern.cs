namespace ImageProxy.Server.Origins;

/// <summary>
/// A proxy source's allowed-host rule: "cdn.example.com" matches exactly that host; "*.example.com"
/// matches any subdomain but not example.com itself (list both when both are wanted). Case-insensitive,
/// and a trailing dot (fully-qualified form) is ignored so "example.com." cannot dodge an exact rule.
/// </summary>
public static class HostPattern
{
    public static bool Matches(string pattern, string host)
    {
        host = host.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1;
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    public static bool MatchesAny(IReadOnlyList<string> patterns, string host)
        => patterns.Count == 0 || patterns.Any(p => Matches(p, host));
}
