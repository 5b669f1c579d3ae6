namespace ImageProxy.Server.Configuration;

/// <summary>Settings of a "proxy" source (imgix Web Proxy): the object key is an absolute http(s) URL.</summary>
/// <param name="AllowedHosts">Host patterns ("cdn.example.com", "*.example.com"); empty = any public host.</param>
public sealed record ProxySourceSettings(IReadOnlyList<string> AllowedHosts, TimeSpan Timeout, TimeSpan ConnectTimeout, long MaxBytes) : SourceSettings
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool AllowPrivateAddresses { get; init; }

    public override string ToString() => $"proxy ({AllowedHosts.Count} host patterns)";
}
