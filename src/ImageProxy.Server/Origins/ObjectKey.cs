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
