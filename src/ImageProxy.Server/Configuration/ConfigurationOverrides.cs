namespace ImageProxy.Server.Configuration;

/// <summary>
/// Configuration keys given on the command line (<c>--ImageProxy:Security:MaxUrlLength=4000</c> or
/// <c>--ImageProxy:RedisKeyPrefix VALUE</c>), the .NET convention the docs and benchmarks use for every setting that
/// has no option of its own. Only keys of the sections the server reads are accepted, so a mistyped option
/// (<c>--playgroud</c>) is an error instead of a setting nobody reads.
/// </summary>
public static class ConfigurationOverrides
{
    /// <summary>Sections whose keys may be set: the proxy's own, logging, and Kestrel's.</summary>
    private static readonly string[] Sections = [ProxyOptions.SectionName, "Logging", "Kestrel"];

    /// <summary>
    /// The generic host's own keys. WebApplicationFactory (the tests) passes its settings to the entry point as
    /// <c>--environment=…</c>, <c>--applicationName=…</c>, <c>--contentRoot=…</c>.
    /// </summary>
    private static readonly string[] HostKeys = ["environment", "applicationName", "contentRoot"];

    /// <summary>What is wrong with these tokens, or null when each is a key (with "=VALUE" or followed by its value).</summary>
    public static string? Problem(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..].Split('=', 2)[0] : null;
            if (key is null || !IsAcceptedKey(key))
            {
                return token.StartsWith('-')
                    ? $"Unknown option '{token}'. Settings without an option of their own are given as --{ProxyOptions.SectionName}:Key=VALUE."
                    : $"Unexpected argument '{token}'.";
            }

            if (!token.Contains('='))
            {
                if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"'{token}' needs a value: {token}=VALUE.";
                }

                i++;
            }
        }

        return null;
    }

    /// <remarks>A bare section (<c>--ImageProxy=</c>) is accepted too: WebApplicationFactory lists sections that way.</remarks>
    private static bool IsAcceptedKey(string key)
    {
        var section = key.Split(':', 2)[0];
        return section.Length > 0 && !key.EndsWith(':')
            && (Sections.Contains(section, StringComparer.OrdinalIgnoreCase) || (section == key && HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase)));
    }
}
