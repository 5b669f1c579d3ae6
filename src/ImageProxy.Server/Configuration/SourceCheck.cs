namespace ImageProxy.Server.Configuration;

/// <summary>
/// The checks a source entry goes through once it is read, with errors that name the file, the source and the
/// key (e.g. "Sources file 'sources.json': source 'cdn': key 'web.baseUrl' is required."). Messages never quote a
/// string value that might have come from a secret.
/// </summary>
internal sealed class SourceCheck(string fileLabel, string sourceLabel)
{
    public SourceCheck Named(string name) => new(fileLabel, $"source '{name}'");

    public SourcesFileException Error(string? key, string problem) => key is null
        ? new SourcesFileException($"Sources file '{fileLabel}': {sourceLabel} {problem}.")
        : new SourcesFileException($"Sources file '{fileLabel}': {sourceLabel}: key '{key}' {problem}.");

    public T Required<T>(T? value, string key) where T : class => value ?? throw Error(key, "is required");

    public string Required(string? value, string key) => value switch
    {
        null => throw Error(key, "is required"),
        _ when string.IsNullOrWhiteSpace(value) => throw Error(key, "must not be empty"),
        _ => value,
    };

    /// <summary>An empty string counts as absent (an unset "${VAR}" is an error of its own, not an empty value).</summary>
    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    public long AtLeast(long? value, long minimum, long fallback, string key) =>
        value is null ? fallback : value >= minimum ? value.Value : throw Error(key, $"must be at least {minimum}");

    /// <summary>A timeout: more than 0 and at most an hour.</summary>
    public TimeSpan Seconds(double? value, double fallback, string key) => value switch
    {
        null => TimeSpan.FromSeconds(fallback),
        > 0 and <= 3600 => TimeSpan.FromSeconds(value.Value),
        _ => throw Error(key, "must be greater than 0 and at most 3600"),
    };

    public Uri? HttpUrl(string? text, string key)
    {
        if (Optional(text) is not { } value)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw Error(key, "must be an absolute http or https URL");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw Error(key, "must not contain a query, fragment or user info");
        }

        return url;
    }
}
