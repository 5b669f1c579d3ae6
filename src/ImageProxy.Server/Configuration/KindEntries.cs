using System.Text.RegularExpressions;

namespace ImageProxy.Server.Configuration;

// The object named after each kind in sources.json, as written; Resolve checks it and makes the kind's settings.
// Keys in messages are written as the file spells them ("web.baseUrl").

internal sealed record FolderEntry(string? Root)
{
    public FolderSourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var root = Path.GetFullPath(Path.Combine(context.BaseDirectory, check.Required(Root, "folder.root")));
        if (!Directory.Exists(root))
        {
            throw check.Error("folder.root", $"directory '{root}' does not exist");
        }

        return new FolderSourceSettings(root) { MaxBytes = context.Limits.MaxSourceBytes };
    }
}

internal sealed record WebEntry(
    string? BaseUrl, double? TimeoutSeconds, double? ConnectTimeoutSeconds, long? MaxBytes, Dictionary<string, string>? Headers)
{
    public WebSourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var baseUrl = check.HttpUrl(check.Required(BaseUrl, "web.baseUrl"), "web.baseUrl")!;
        var timeout = check.Seconds(TimeoutSeconds, SourcesFile.DefaultWebTimeout.TotalSeconds, "web.timeoutSeconds");
        return new WebSourceSettings(baseUrl, timeout, check.AtLeast(MaxBytes, 1, context.Limits.MaxSourceBytes, "web.maxBytes"))
        {
            ConnectTimeout = HttpBudget.ConnectTimeout(check, ConnectTimeoutSeconds, timeout, "web"),
            Headers = HttpBudget.Headers(check, Headers, "web"),
        };
    }
}

internal sealed partial record ProxyEntry(
    List<string>? AllowedHosts, double? TimeoutSeconds, double? ConnectTimeoutSeconds, long? MaxBytes, Dictionary<string, string>? Headers)
{
    public ProxySourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var hosts = AllowedHosts ?? [];
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!HostPatternShape().IsMatch(hosts[i]))
            {
                throw check.Error($"proxy.allowedHosts[{i}]", "must be a host name or '*.' followed by a domain (no scheme, port or path)");
            }
        }

        var timeout = check.Seconds(TimeoutSeconds, SourcesFile.DefaultWebTimeout.TotalSeconds, "proxy.timeoutSeconds");
        var connect = HttpBudget.ConnectTimeout(check, ConnectTimeoutSeconds, timeout, "proxy");
        return new ProxySourceSettings(hosts, timeout, connect, check.AtLeast(MaxBytes, 1, context.Limits.MaxSourceBytes, "proxy.maxBytes"))
        {
            Headers = HttpBudget.Headers(check, Headers, "proxy"),
        };
    }

    [GeneratedRegex(@"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostPatternShape();
}

internal sealed record S3Entry(
    string? Bucket, string? Region, string? ServiceUrl, bool ForcePathStyle, string? AccessKeyId, string? SecretAccessKey,
    string? KeyPrefix, double? TimeoutSeconds, long? MaxBytes)
{
    public S3SourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var bucket = check.Required(Bucket, "s3.bucket");
        var region = check.Required(Region, "s3.region");
        var keyId = SourceCheck.Optional(AccessKeyId);
        var secret = SourceCheck.Optional(SecretAccessKey);
        if ((keyId is null) != (secret is null))
        {
            throw check.Error(keyId is null ? "s3.accessKeyId" : "s3.secretAccessKey",
                "is required when the other half of the key pair is set (or leave both out for the AWS default credential chain)");
        }

        return new S3SourceSettings(
            bucket, region, check.HttpUrl(ServiceUrl, "s3.serviceUrl"), ForcePathStyle, keyId, secret, CloudKeys.Prefix(check, KeyPrefix, "s3"),
            check.Seconds(TimeoutSeconds, SourcesFile.DefaultWebTimeout.TotalSeconds, "s3.timeoutSeconds"),
            check.AtLeast(MaxBytes, 1, context.Limits.MaxSourceBytes, "s3.maxBytes"));
    }
}

internal sealed record GcsEntry(string? Bucket, string? CredentialsFile, string? Endpoint, string? KeyPrefix, double? TimeoutSeconds, long? MaxBytes)
{
    public GcsSourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var bucket = check.Required(Bucket, "gcs.bucket");
        var credentials = SourceCheck.Optional(CredentialsFile);
        if (credentials is not null)
        {
            credentials = Path.GetFullPath(Path.Combine(context.BaseDirectory, credentials));
            if (!File.Exists(credentials))
            {
                throw check.Error("gcs.credentialsFile", $"file '{credentials}' does not exist");
            }
        }

        return new GcsSourceSettings(
            bucket, credentials, check.HttpUrl(Endpoint, "gcs.endpoint") ?? GcsSourceSettings.DefaultEndpoint, CloudKeys.Prefix(check, KeyPrefix, "gcs"),
            check.Seconds(TimeoutSeconds, SourcesFile.DefaultWebTimeout.TotalSeconds, "gcs.timeoutSeconds"),
            check.AtLeast(MaxBytes, 1, context.Limits.MaxSourceBytes, "gcs.maxBytes"));
    }
}

internal sealed record AzureEntry(
    string? AccountName, string? Container, string? Endpoint, string? SharedKey, string? SasToken, bool Anonymous,
    string? KeyPrefix, double? TimeoutSeconds, long? MaxBytes)
{
    public AzureSourceSettings Resolve(SourceContext context)
    {
        var check = context.Check;
        var account = check.Required(AccountName, "azure.accountName");
        var container = check.Required(Container, "azure.container");
        var endpoint = check.HttpUrl(Endpoint, "azure.endpoint") ?? new Uri($"https://{account}.blob.core.windows.net");
        var sharedKey = SourceCheck.Optional(SharedKey);
        var sas = SourceCheck.Optional(SasToken)?.TrimStart('?');
        if ((sharedKey is not null ? 1 : 0) + (sas is not null ? 1 : 0) + (Anonymous ? 1 : 0) > 1)
        {
            throw check.Error("azure", "takes at most one of 'sharedKey', 'sasToken' and 'anonymous: true'");
        }

        if (sharedKey is not null && !IsBase64(sharedKey))
        {
            throw check.Error("azure.sharedKey", "must be the base64 account key");
        }

        if (sharedKey is null && sas is null && !Anonymous && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to send a bearer token over plain HTTP; say so at load time, not on the first request.
            throw check.Error("azure.endpoint", "must be https for Entra ID (no sharedKey, sasToken or anonymous)");
        }

        return new AzureSourceSettings(
            account, container, endpoint, sharedKey, sas, Anonymous, CloudKeys.Prefix(check, KeyPrefix, "azure"),
            check.Seconds(TimeoutSeconds, SourcesFile.DefaultWebTimeout.TotalSeconds, "azure.timeoutSeconds"),
            check.AtLeast(MaxBytes, 1, context.Limits.MaxSourceBytes, "azure.maxBytes"));
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }
}

/// <summary>What web and proxy sources share: the connect budget and the extra request headers.</summary>
internal static partial class HttpBudget
{
    public static TimeSpan ConnectTimeout(SourceCheck check, double? seconds, TimeSpan total, string kind)
    {
        var connect = check.Seconds(seconds, Math.Min(SourcesFile.DefaultConnectTimeout.TotalSeconds, total.TotalSeconds), $"{kind}.connectTimeoutSeconds");
        return connect < total ? connect : total;
    }

    public static IReadOnlyDictionary<string, string> Headers(SourceCheck check, Dictionary<string, string>? headers, string kind)
    {
        foreach (var name in (headers ??= []).Keys)
        {
            // Hop-by-hop and routing headers are ours to set; letting a source override Host or
            // Content-Length would break requests in confusing ways.
            if (!HeaderName().IsMatch(name) || ReservedHeaders.Contains(name))
            {
                throw check.Error($"{kind}.headers.{name}", "is not a header a source may set");
            }
        }

        return headers;
    }

    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Te", "Trailer", "Keep-Alive",
        "Proxy-Connection", "If-None-Match", "If-Modified-Since", "Range", "Cookie",
    };

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex HeaderName();
}

/// <summary>The object-key prefix of the cloud kinds.</summary>
internal static class CloudKeys
{
    public static string Prefix(SourceCheck check, string? prefix, string kind)
    {
        prefix = SourceCheck.Optional(prefix) ?? string.Empty;
        if (prefix.StartsWith('/') || prefix.Contains('\\') || prefix.Split('/').Any(s => s is "." or ".."))
        {
            throw check.Error($"{kind}.keyPrefix", "must not start with '/' or contain '\\', '.' or '..' segments");
        }

        return prefix;
    }
}
