namespace ImageProxy.Server.Configuration;

/// <param name="BaseUrl">http(s) URL that object keys are appended to.</param>
/// <param name="Timeout">Whole-fetch budget (connect, headers, body and redirects).</param>
/// <param name="MaxBytes">Largest original accepted from this origin.</param>
public sealed record WebSourceSettings(Uri BaseUrl, TimeSpan Timeout, long MaxBytes) : SourceSettings
{
    /// <summary>Budget for one TCP (and TLS) connect; a dead host should fail fast, well inside <see cref="Timeout"/>.</summary>
    public TimeSpan ConnectTimeout { get; init; } = SourcesFile.DefaultConnectTimeout;

    /// <summary>Extra request headers (e.g. an origin's shared secret). Values may be secrets: never logged.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Off by default: loopback, private, link-local and CGNAT addresses are refused after DNS.</summary>
    public bool AllowPrivateAddresses { get; init; }

    // Header values may hold secrets; a record's generated ToString would print them.
    public override string ToString() => $"web {BaseUrl}";
}
