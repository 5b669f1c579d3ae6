using System.Text.Json;
using System.Text.RegularExpressions;
using ImageProxy.Transform;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// Loads and validates sources.json, the contract with ops staff. It is read by hand from a
/// <see cref="JsonDocument"/> rather than deserialised so that every refusal can name the source and
/// the key (a deserialiser would say "line 7, position 12"). Unknown keys are refused too: a typo such as
/// "secureToken" would otherwise silently turn signing off.
/// </summary>
public static partial class SourcesFile
{
    public const long DefaultCacheMaxAge = 31_536_000;
    public const string ReservedPrefix = "/_imageproxy";
    public static readonly TimeSpan DefaultWebTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] SourceKeys =
        ["name", "pathPrefix", "kind", "folder", "web", "s3", "gcs", "azure", "proxy", "allowPrivateAddresses", "secureTokens", "defaultParams", "cacheMaxAge", "limits", "unsupportedParameters", "faceDetection", .. RenderingSwitches.Keys, OverlayHostsSetting.Key];

    private static readonly string[] KindNames = ["folder", "web", "s3", "gcs", "azure", "proxy"];
    private static readonly string[] FolderKeys = ["root"];
    private static readonly string[] WebKeys = ["baseUrl", "timeoutSeconds", "connectTimeoutSeconds", "maxBytes", "headers"];
    private static readonly string[] ProxyKeys = ["allowedHosts", "timeoutSeconds", "connectTimeoutSeconds", "maxBytes", "headers"];
    private static readonly string[] S3Keys = ["bucket", "region", "serviceUrl", "forcePathStyle", "accessKeyId", "secretAccessKey", "keyPrefix", "timeoutSeconds", "maxBytes"];
    private static readonly string[] GcsKeys = ["bucket", "credentialsFile", "endpoint", "keyPrefix", "timeoutSeconds", "maxBytes"];
    private static readonly string[] AzureKeys = ["accountName", "container", "endpoint", "sharedKey", "sasToken", "anonymous", "keyPrefix", "timeoutSeconds", "maxBytes"];

    /// <summary>Reads <paramref name="path"/>; relative folder roots are resolved against its directory.</summary>
    /// <param name="defaultMaxBytes">The global source-bytes limit, used when a source sets no maxBytes.</param>
    /// <param name="environment">Looks up ${NAME} references; defaults to the process environment.</param>
    public static IReadOnlyList<SourceDefinition> Load(string path, long defaultMaxBytes, Func<string, string?>? environment = null)
    {
        var (text, baseDirectory) = ReadFile(path);
        return Parse(text, baseDirectory, defaultMaxBytes, environment ?? Environment.GetEnvironmentVariable, path);
    }

    /// <summary>Every problem in the file, one line per source and key (empty = valid). For `validate`.</summary>
    public static IReadOnlyList<string> Check(string path, long defaultMaxBytes, Func<string, string?>? environment = null)
    {
        try
        {
            var (text, baseDirectory) = ReadFile(path);
            return Validate(text, baseDirectory, defaultMaxBytes, environment ?? Environment.GetEnvironmentVariable, path).Problems;
        }
        catch (SourcesFileException ex)
        {
            return [ex.Message];
        }
    }

    /// <summary>Validates sources.json text. Throws <see cref="SourcesFileException"/> naming the source and key (all problems, one per line).</summary>
    public static IReadOnlyList<SourceDefinition> Parse(
        string json, string baseDirectory, long defaultMaxBytes, Func<string, string?> environment, string fileLabel = "sources.json")
    {
        var (sources, problems) = Validate(json, baseDirectory, defaultMaxBytes, environment, fileLabel);
        if (problems.Count > 0)
        {
            throw new SourcesFileException(string.Join(Environment.NewLine, problems));
        }

        return sources;
    }

    private static (string Text, string BaseDirectory) ReadFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return (text, Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourcesFileException($"Sources file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    // Each source is read on its own so that one run reports every broken source, not just the first.
    private static (List<SourceDefinition> Sources, List<string> Problems) Validate(
        string json, string baseDirectory, long defaultMaxBytes, Func<string, string?> environment, string fileLabel)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new SourcesFileException($"Sources file '{fileLabel}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sources", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new SourcesFileException($"Sources file '{fileLabel}': the top level must be an object with a 'sources' array.");
            }

            var sources = new List<SourceDefinition>();
            var problems = new List<string>();
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                var reader = new SourceReader(fileLabel, $"sources[{index}]", environment);
                try
                {
                    sources.Add(ReadSource(reader, element, baseDirectory, defaultMaxBytes));
                }
                catch (SourcesFileException ex)
                {
                    problems.Add(ex.Message);
                }

                index++;
            }

            if (problems.Count == 0)
            {
                try
                {
                    RefuseDuplicates(fileLabel, sources);
                }
                catch (SourcesFileException ex)
                {
                    problems.Add(ex.Message);
                }
            }

            return (sources, problems);
        }
    }

    private static SourceDefinition ReadSource(SourceReader reader, JsonElement element, string baseDirectory, long defaultMaxBytes)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw reader.Error(null, "must be an object");
        }

        // Read the name first so every later message can say which source is wrong.
        var name = reader.RequiredString(element, "name");
        if (!SourceNamePattern().IsMatch(name))
        {
            throw reader.Error("name", "may contain only letters, digits, '-', '_' and '.'");
        }

        reader = reader.Named(name);
        reader.RefuseUnknownKeys(element, null, SourceKeys);

        var prefix = NormalisePrefix(reader, reader.RequiredString(element, "pathPrefix"));
        var kindText = reader.RequiredString(element, "kind");
        SourceKind kind = kindText switch
        {
            "folder" => SourceKind.Folder,
            "web" => SourceKind.Web,
            "s3" => SourceKind.S3,
            "gcs" => SourceKind.Gcs,
            "azure" => SourceKind.Azure,
            "proxy" => SourceKind.Proxy,
            _ => throw reader.Error("kind", $"'{kindText}' is not a known kind (expected one of {string.Join(", ", KindNames.Select(k => $"'{k}'"))})"),
        };

        foreach (var other in KindNames.Where(k => k != kindText))
        {
            reader.RefuseKey(element, other, $"does not apply to kind '{kindText}'");
        }

        var allowPrivate = reader.OptionalBool(element, "allowPrivateAddresses", "allowPrivateAddresses");
        if (allowPrivate && kind is not (SourceKind.Web or SourceKind.Proxy))
        {
            throw reader.Error("allowPrivateAddresses", "applies only to kinds 'web' and 'proxy'");
        }

        var tokens = reader.OptionalStringArray(element, "secureTokens");
        if (tokens.Any(string.IsNullOrWhiteSpace))
        {
            // An empty token makes every signature computable by anyone: refuse rather than pretend to be secure.
            throw reader.Error("secureTokens", "must not contain an empty token");
        }

        if (kind == SourceKind.Proxy && tokens.Count == 0)
        {
            // An unsigned proxy source fetches any URL for anyone: an open relay. imgix makes signing mandatory too.
            throw reader.Error("secureTokens", "is required for kind 'proxy' (an unsigned web proxy is an open relay)");
        }

        // The source's own limits; its byte limit is the default for every kind's maxBytes (which still wins if set).
        var limits = SourceLimitsReader.Read(reader, element);
        var sourceMaxBytes = limits?.MaxSourceBytes ?? defaultMaxBytes;
        var settings = reader.RequiredObject(element, kindText);
        FolderSourceSettings? folder = null;
        WebSourceSettings? web = null;
        S3SourceSettings? s3 = null;
        GcsSourceSettings? gcs = null;
        AzureSourceSettings? azure = null;
        ProxySourceSettings? proxy = null;
        switch (kind)
        {
            case SourceKind.Folder:
                folder = ReadFolder(reader, settings, baseDirectory);
                break;
            case SourceKind.Web:
                web = ReadWeb(reader, settings, sourceMaxBytes) with { AllowPrivateAddresses = allowPrivate };
                break;
            case SourceKind.S3:
                s3 = ReadS3(reader, settings, sourceMaxBytes);
                break;
            case SourceKind.Gcs:
                gcs = ReadGcs(reader, settings, baseDirectory, sourceMaxBytes);
                break;
            case SourceKind.Azure:
                azure = ReadAzure(reader, settings, sourceMaxBytes);
                break;
            case SourceKind.Proxy:
                proxy = ReadProxy(reader, settings, sourceMaxBytes) with { AllowPrivateAddresses = allowPrivate };
                break;
        }

        var unsupported = reader.OptionalString(element, "unsupportedParameters", "unsupportedParameters") switch
        {
            null or "ignore" => UnsupportedParameterPolicy.Ignore,
            "reject" => UnsupportedParameterPolicy.Reject,
            var other => throw reader.Error("unsupportedParameters", $"'{other}' is not 'ignore' or 'reject'"),
        };

        var defaults = reader.OptionalStringMap(element, "defaultParams");
        // Build an empty request with the defaults once now, so a bad default is a start-up error rather
        // than a 400 on every request of the source.
        if (defaults.Count > 0 && PlanBuilder.Build(new ParsedRequest([], null), defaults, unsupported: unsupported).Error is { } defaultsError)
        {
            throw reader.Error("defaultParams", $"is invalid: {defaultsError.Message}");
        }
        var cacheMaxAge = reader.OptionalInteger(element, "cacheMaxAge", DefaultCacheMaxAge, minimum: 0);
        var faceDetection = reader.OptionalBool(element, "faceDetection", "faceDetection", fallback: true);

        return new SourceDefinition(name, prefix, kind, folder, web, tokens, defaults, cacheMaxAge)
        {
            S3 = s3,
            Gcs = gcs,
            Azure = azure,
            Proxy = proxy,
            Limits = limits,
            AllowPrivateAddresses = allowPrivate,
            UnsupportedParameters = unsupported,
            FaceDetection = faceDetection,
            Rendering = RenderingSwitches.Read(reader, element),
            OverlayHosts = OverlayHostsSetting.Read(reader, element),
        };
    }

    private static FolderSourceSettings ReadFolder(SourceReader reader, JsonElement folder, string baseDirectory)
    {
        reader.RefuseUnknownKeys(folder, "folder", FolderKeys);
        var root = reader.RequiredString(folder, "root", "folder.root");
        var fullRoot = Path.GetFullPath(Path.Combine(baseDirectory, root));
        if (!Directory.Exists(fullRoot))
        {
            throw reader.Error("folder.root", $"directory '{fullRoot}' does not exist");
        }

        return new FolderSourceSettings(fullRoot);
    }

    private static WebSourceSettings ReadWeb(SourceReader reader, JsonElement web, long defaultMaxBytes)
    {
        reader.RefuseUnknownKeys(web, "web", WebKeys);
        var baseUrl = ReadHttpUrl(reader, web, "baseUrl", "web.baseUrl", required: true)!;
        var (timeout, maxBytes) = ReadBudget(reader, web, "web", defaultMaxBytes);
        return new WebSourceSettings(baseUrl, timeout, maxBytes)
        {
            ConnectTimeout = ReadConnectTimeout(reader, web, "web", timeout),
            Headers = ReadHeaders(reader, web, "web"),
        };
    }

    private static ProxySourceSettings ReadProxy(SourceReader reader, JsonElement proxy, long defaultMaxBytes)
    {
        reader.RefuseUnknownKeys(proxy, "proxy", ProxyKeys);
        var hosts = reader.OptionalStringArray(proxy, "allowedHosts", "proxy.allowedHosts");
        for (var i = 0; i < hosts.Count; i++)
        {
            if (!HostPatternShape().IsMatch(hosts[i]))
            {
                throw reader.Error($"proxy.allowedHosts[{i}]", "must be a host name or '*.' followed by a domain (no scheme, port or path)");
            }
        }

        var (timeout, maxBytes) = ReadBudget(reader, proxy, "proxy", defaultMaxBytes);
        return new ProxySourceSettings(hosts, timeout, ReadConnectTimeout(reader, proxy, "proxy", timeout), maxBytes)
        {
            Headers = ReadHeaders(reader, proxy, "proxy"),
        };
    }

    private static S3SourceSettings ReadS3(SourceReader reader, JsonElement s3, long defaultMaxBytes)
    {
        reader.RefuseUnknownKeys(s3, "s3", S3Keys);
        var bucket = reader.RequiredString(s3, "bucket", "s3.bucket");
        var region = reader.RequiredString(s3, "region", "s3.region");
        var serviceUrl = ReadHttpUrl(reader, s3, "serviceUrl", "s3.serviceUrl", required: false);
        var forcePathStyle = reader.OptionalBool(s3, "forcePathStyle", "s3.forcePathStyle");
        var keyId = reader.OptionalString(s3, "accessKeyId", "s3.accessKeyId");
        var secret = reader.OptionalString(s3, "secretAccessKey", "s3.secretAccessKey");
        if ((keyId is null) != (secret is null))
        {
            throw reader.Error(keyId is null ? "s3.accessKeyId" : "s3.secretAccessKey",
                "is required when the other half of the key pair is set (or leave both out for the AWS default credential chain)");
        }

        var (timeout, maxBytes) = ReadBudget(reader, s3, "s3", defaultMaxBytes);
        return new S3SourceSettings(bucket, region, serviceUrl, forcePathStyle, keyId, secret, ReadKeyPrefix(reader, s3, "s3"), timeout, maxBytes);
    }

    private static GcsSourceSettings ReadGcs(SourceReader reader, JsonElement gcs, string baseDirectory, long defaultMaxBytes)
    {
        reader.RefuseUnknownKeys(gcs, "gcs", GcsKeys);
        var bucket = reader.RequiredString(gcs, "bucket", "gcs.bucket");
        var credentials = reader.OptionalString(gcs, "credentialsFile", "gcs.credentialsFile");
        if (credentials is not null)
        {
            credentials = Path.GetFullPath(Path.Combine(baseDirectory, credentials));
            if (!File.Exists(credentials))
            {
                throw reader.Error("gcs.credentialsFile", $"file '{credentials}' does not exist");
            }
        }

        var endpoint = ReadHttpUrl(reader, gcs, "endpoint", "gcs.endpoint", required: false) ?? GcsSourceSettings.DefaultEndpoint;
        var (timeout, maxBytes) = ReadBudget(reader, gcs, "gcs", defaultMaxBytes);
        return new GcsSourceSettings(bucket, credentials, endpoint, ReadKeyPrefix(reader, gcs, "gcs"), timeout, maxBytes);
    }

    private static AzureSourceSettings ReadAzure(SourceReader reader, JsonElement azure, long defaultMaxBytes)
    {
        reader.RefuseUnknownKeys(azure, "azure", AzureKeys);
        var account = reader.RequiredString(azure, "accountName", "azure.accountName");
        var container = reader.RequiredString(azure, "container", "azure.container");
        var endpoint = ReadHttpUrl(reader, azure, "endpoint", "azure.endpoint", required: false)
                       ?? new Uri($"https://{account}.blob.core.windows.net");
        var sharedKey = reader.OptionalString(azure, "sharedKey", "azure.sharedKey");
        var sas = reader.OptionalString(azure, "sasToken", "azure.sasToken")?.TrimStart('?');
        var anonymous = reader.OptionalBool(azure, "anonymous", "azure.anonymous");
        if ((sharedKey is not null ? 1 : 0) + (sas is not null ? 1 : 0) + (anonymous ? 1 : 0) > 1)
        {
            throw reader.Error("azure", "takes at most one of 'sharedKey', 'sasToken' and 'anonymous: true'");
        }

        if (sharedKey is not null && !IsBase64(sharedKey))
        {
            throw reader.Error("azure.sharedKey", "must be the base64 account key");
        }

        if (sharedKey is null && sas is null && !anonymous && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to send a bearer token over plain HTTP; say so at load time, not on the first request.
            throw reader.Error("azure.endpoint", "must be https for Entra ID (no sharedKey, sasToken or anonymous)");
        }

        var (timeout, maxBytes) = ReadBudget(reader, azure, "azure", defaultMaxBytes);
        return new AzureSourceSettings(account, container, endpoint, sharedKey, sas, anonymous, ReadKeyPrefix(reader, azure, "azure"), timeout, maxBytes);
    }

    private static Uri? ReadHttpUrl(SourceReader reader, JsonElement parent, string key, string path, bool required)
    {
        var text = required ? reader.RequiredString(parent, key, path) : reader.OptionalString(parent, key, path);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw reader.Error(path, "must be an absolute http or https URL");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            throw reader.Error(path, "must not contain a query, fragment or user info");
        }

        return url;
    }

    private static (TimeSpan Timeout, long MaxBytes) ReadBudget(SourceReader reader, JsonElement parent, string kind, long defaultMaxBytes)
    {
        var timeoutSeconds = reader.OptionalNumber(parent, "timeoutSeconds", $"{kind}.timeoutSeconds", DefaultWebTimeout.TotalSeconds);
        var maxBytes = reader.OptionalInteger(parent, "maxBytes", defaultMaxBytes, minimum: 1, path: $"{kind}.maxBytes");
        return (TimeSpan.FromSeconds(timeoutSeconds), maxBytes);
    }

    private static TimeSpan ReadConnectTimeout(SourceReader reader, JsonElement parent, string kind, TimeSpan total)
    {
        var fallback = Math.Min(DefaultConnectTimeout.TotalSeconds, total.TotalSeconds);
        var seconds = reader.OptionalNumber(parent, "connectTimeoutSeconds", $"{kind}.connectTimeoutSeconds", fallback);
        return TimeSpan.FromSeconds(Math.Min(seconds, total.TotalSeconds));
    }

    private static IReadOnlyDictionary<string, string> ReadHeaders(SourceReader reader, JsonElement parent, string kind)
    {
        var headers = reader.OptionalStringMap(parent, "headers", $"{kind}.headers");
        foreach (var name in headers.Keys)
        {
            // Hop-by-hop and routing headers are ours to set; letting a source override Host or
            // Content-Length would break requests in confusing ways.
            if (!HeaderName().IsMatch(name) || ReservedHeaders.Contains(name))
            {
                throw reader.Error($"{kind}.headers.{name}", "is not a header a source may set");
            }
        }

        return headers;
    }

    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade", "Te", "Trailer", "Keep-Alive",
        "Proxy-Connection", "If-None-Match", "If-Modified-Since", "Range", "Cookie",
    };

    private static string ReadKeyPrefix(SourceReader reader, JsonElement parent, string kind)
    {
        var prefix = reader.OptionalString(parent, "keyPrefix", $"{kind}.keyPrefix") ?? string.Empty;
        if (prefix.StartsWith('/') || prefix.Contains('\\') || prefix.Split('/').Any(s => s is "." or ".."))
        {
            throw reader.Error($"{kind}.keyPrefix", "must not start with '/' or contain '\\', '.' or '..' segments");
        }

        return prefix;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }

    private static string NormalisePrefix(SourceReader reader, string prefix)
    {
        if (!prefix.StartsWith('/'))
        {
            throw reader.Error("pathPrefix", "must start with '/'");
        }

        // Prefixes are matched against the raw (still-encoded) path, so only characters that never need
        // encoding can ever match; anything else would be a prefix that silently serves nothing.
        if (!PrefixPattern().IsMatch(prefix))
        {
            throw reader.Error("pathPrefix", "may contain only letters, digits, '-', '_', '.', '~' and '/'");
        }

        var trimmed = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
        var segments = trimmed.Split('/');
        if (trimmed.Length > 1 && segments.Skip(1).Any(s => s is "" or "." or ".."))
        {
            throw reader.Error("pathPrefix", "must not contain empty, '.' or '..' segments");
        }

        if (trimmed.Equals(ReservedPrefix, StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith(ReservedPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw reader.Error("pathPrefix", $"'{ReservedPrefix}/' is reserved for the proxy's own endpoints");
        }

        return trimmed;
    }

    private static void RefuseDuplicates(string fileLabel, List<SourceDefinition> sources)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!names.Add(source.Name))
            {
                throw new SourcesFileException($"Sources file '{fileLabel}': source '{source.Name}': key 'name' duplicates another source's name.");
            }

            if (!prefixes.TryAdd(source.PathPrefix, source.Name))
            {
                throw new SourcesFileException(
                    $"Sources file '{fileLabel}': source '{source.Name}': key 'pathPrefix' '{source.PathPrefix}' is already used by source '{prefixes[source.PathPrefix]}'.");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex SourceNamePattern();

    [GeneratedRegex(@"^/[A-Za-z0-9._~/-]*$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$")]
    private static partial Regex HostPatternShape();

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex HeaderName();
}
