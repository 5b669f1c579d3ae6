using System.Text.Json;
using System.Text.RegularExpressions;

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

    private static readonly string[] SourceKeys = ["name", "pathPrefix", "kind", "folder", "web", "secureTokens", "defaultParams", "cacheMaxAge", "limits"];
    private static readonly string[] FolderKeys = ["root"];
    private static readonly string[] WebKeys = ["baseUrl", "timeoutSeconds", "maxBytes"];

    /// <summary>Reads <paramref name="path"/>; relative folder roots are resolved against its directory.</summary>
    /// <param name="defaultMaxBytes">The global source-bytes limit, used when a web source sets no maxBytes.</param>
    /// <param name="environment">Looks up ${NAME} references; defaults to the process environment.</param>
    public static IReadOnlyList<SourceDefinition> Load(string path, long defaultMaxBytes, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourcesFileException($"Sources file '{path}' cannot be read: {ex.Message}", ex);
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, baseDirectory, defaultMaxBytes, environment ?? Environment.GetEnvironmentVariable, path);
    }

    /// <summary>Validates sources.json text. Throws <see cref="SourcesFileException"/> naming the source and key.</summary>
    public static IReadOnlyList<SourceDefinition> Parse(
        string json, string baseDirectory, long defaultMaxBytes, Func<string, string?> environment, string fileLabel = "sources.json")
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
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                var reader = new SourceReader(fileLabel, $"sources[{index}]", environment);
                sources.Add(ReadSource(reader, element, baseDirectory, defaultMaxBytes));
                index++;
            }

            RefuseDuplicates(fileLabel, sources);
            return sources;
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
            _ => throw reader.Error("kind", $"'{kindText}' is not a known kind (expected 'folder' or 'web')"),
        };

        var limits = SourceLimitsReader.Read(reader, element);
        FolderSourceSettings? folder = null;
        WebSourceSettings? web = null;
        if (kind == SourceKind.Folder)
        {
            reader.RefuseKey(element, "web", "does not apply to kind 'folder'");
            folder = ReadFolder(reader, reader.RequiredObject(element, "folder"), baseDirectory);
        }
        else
        {
            reader.RefuseKey(element, "folder", "does not apply to kind 'web'");
            web = ReadWeb(reader, reader.RequiredObject(element, "web"), limits?.MaxSourceBytes ?? defaultMaxBytes);
        }

        var tokens = reader.OptionalStringArray(element, "secureTokens");
        if (tokens.Any(string.IsNullOrWhiteSpace))
        {
            // An empty token makes every signature computable by anyone: refuse rather than pretend to be secure.
            throw reader.Error("secureTokens", "must not contain an empty token");
        }

        var defaults = reader.OptionalStringMap(element, "defaultParams");
        var cacheMaxAge = reader.OptionalInteger(element, "cacheMaxAge", DefaultCacheMaxAge, minimum: 0);

        return new SourceDefinition(name, prefix, kind, folder, web, tokens, defaults, cacheMaxAge) { Limits = limits };
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
        var text = reader.RequiredString(web, "baseUrl", "web.baseUrl");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw reader.Error("web.baseUrl", "must be an absolute http or https URL");
        }

        if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment) || !string.IsNullOrEmpty(baseUrl.UserInfo))
        {
            throw reader.Error("web.baseUrl", "must not contain a query, fragment or user info");
        }

        var timeoutSeconds = reader.OptionalNumber(web, "timeoutSeconds", "web.timeoutSeconds", DefaultWebTimeout.TotalSeconds);
        var maxBytes = reader.OptionalInteger(web, "maxBytes", defaultMaxBytes, minimum: 1, path: "web.maxBytes");
        return new WebSourceSettings(baseUrl, TimeSpan.FromSeconds(timeoutSeconds), maxBytes);
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
}
