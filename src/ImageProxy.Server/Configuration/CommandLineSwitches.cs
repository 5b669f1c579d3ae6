namespace ImageProxy.Server.Configuration;

/// <summary>
/// The proxy's own command-line flags, mapped onto configuration keys so that a flag, an environment
/// variable (ImageProxy__SourcesFile) and appsettings.json are three spellings of one setting.
/// --urls is Kestrel's own and needs no mapping.
/// </summary>
public static class CommandLineSwitches
{
    public static readonly IReadOnlyDictionary<string, string> Mappings = new Dictionary<string, string>
    {
        ["--sources"] = $"{ProxyOptions.SectionName}:{nameof(ProxyOptions.SourcesFile)}",
        ["--libvips"] = $"{ProxyOptions.SectionName}:{nameof(ProxyOptions.LibvipsPath)}",
        ["--cache-dir"] = $"{ProxyOptions.SectionName}:{nameof(ProxyOptions.CacheDir)}",
        ["--redis"] = $"{ProxyOptions.SectionName}:Redis",
        ["--admin-token"] = $"{ProxyOptions.SectionName}:AdminToken",
    };

    /// <summary>Value-less flags, rewritten into key=value arguments before the command line is read.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--no-result-cache"] = $"--{ProxyOptions.SectionName}:ResultCache:Enabled=false",
        ["--playground"] = $"--{ProxyOptions.SectionName}:Playground:Enabled=true",
    };
}
