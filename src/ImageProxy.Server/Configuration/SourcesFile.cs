using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ImageProxy.Transform;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// Loads and validates sources.json, the contract with ops staff. Each source is read by System.Text.Json into a
/// <see cref="SourceEntry"/> (polymorphic on "kind", unknown members refused: a typo such as "secureToken" would
/// otherwise silently turn signing off), then checked and resolved into a <see cref="SourceDefinition"/>. Every
/// refusal names the file, the source and the key, never a JSON position; "${NAME}" in any string reads the
/// environment, so secrets need not sit in the file.
/// </summary>
public static partial class SourcesFile
{
    public const long DefaultCacheMaxAge = 31_536_000;
    public const string ReservedPrefix = "/_imageproxy";
    public static readonly TimeSpan DefaultWebTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Reads <paramref name="path"/>; relative folder roots are resolved against its directory.</summary>
    /// <param name="limits">The global limits; each source's own "limits" are applied to them here, once.</param>
    /// <param name="environment">Looks up ${NAME} references; defaults to the process environment.</param>
    public static IReadOnlyList<SourceDefinition> Load(string path, Limits limits, Func<string, string?>? environment = null)
    {
        var (text, baseDirectory) = ReadFile(path);
        return Parse(text, baseDirectory, limits, environment ?? Environment.GetEnvironmentVariable, path);
    }

    /// <summary>Every problem in the file, one line per source and key (empty = valid). For `validate`.</summary>
    public static IReadOnlyList<string> Check(string path, Limits limits, Func<string, string?>? environment = null)
    {
        try
        {
            var (text, baseDirectory) = ReadFile(path);
            return Validate(text, baseDirectory, limits, environment ?? Environment.GetEnvironmentVariable, path).Problems;
        }
        catch (SourcesFileException ex)
        {
            return [ex.Message];
        }
    }

    /// <summary>Validates sources.json text. Throws <see cref="SourcesFileException"/> naming the source and key (all problems, one per line).</summary>
    public static IReadOnlyList<SourceDefinition> Parse(
        string json, string baseDirectory, Limits limits, Func<string, string?> environment, string fileLabel = "sources.json")
    {
        var (sources, problems) = Validate(json, baseDirectory, limits, environment, fileLabel);
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
        string json, string baseDirectory, Limits limits, Func<string, string?> environment, string fileLabel)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new SourcesFileException($"Sources file '{fileLabel}' is not valid JSON: {ex.Message}", ex);
        }

        if (root is not JsonObject top || top["sources"] is not JsonArray list)
        {
            throw new SourcesFileException($"Sources file '{fileLabel}': the top level must be an object with a 'sources' array.");
        }

        var sources = new List<SourceDefinition>();
        var problems = new List<string>();
        for (var index = 0; index < list.Count; index++)
        {
            try
            {
                sources.Add(ReadSource(list[index], new SourceCheck(fileLabel, $"sources[{index}]"), baseDirectory, limits, environment));
            }
            catch (SourcesFileException ex)
            {
                problems.Add(ex.Message);
            }
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

    private static SourceDefinition ReadSource(JsonNode? node, SourceCheck check, string baseDirectory, Limits limits, Func<string, string?> environment)
    {
        if (node is not JsonObject source)
        {
            throw check.Error(null, "must be an object");
        }

        // The name first, so every later message can say which source is wrong.
        var name = check.Required(Text(source, "name", check) is { } raw ? SubstituteText(raw, "name", check, environment) : null, "name");
        if (!SourceNamePattern().IsMatch(name))
        {
            throw check.Error("name", "may contain only letters, digits, '-', '_' and '.'");
        }

        check = check.Named(name);
        PrepareValues(source, null, check, environment);
        var kindName = check.Required(Text(source, "kind", check), "kind");
        var kind = SourceKinds.Named(kindName)
                   ?? throw check.Error("kind", $"'{kindName}' is not a known kind (expected one of {string.Join(", ", SourceKinds.All.Select(r => $"'{r.Name}'"))})");

        SourceEntry entry;
        try
        {
            entry = source.Deserialize<SourceEntry>(EntryJson)!;
        }
        catch (JsonException ex)
        {
            throw Explain(ex, kind, check);
        }

        return entry.ToDefinition(check, baseDirectory, limits);
    }

    /// <summary>
    /// Substitutes "${NAME}" in every string value (so a secret can be "${S3_SECRET}") and drops "$comment"-style
    /// members, which are for humans and editors. Keys in messages are the file's ("web.headers.X-Key", "secureTokens[0]").
    /// </summary>
    private static void PrepareValues(JsonNode node, string? path, SourceCheck check, Func<string, string?> environment)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var member in obj.Where(m => m.Key.StartsWith('$')).Select(m => m.Key).ToArray())
                {
                    obj.Remove(member);
                }

                foreach (var (key, child) in obj.ToArray())
                {
                    var childPath = path is null ? key : $"{path}.{key}";
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[key] = SubstituteText(text, childPath, check, environment);
                    }
                    else if (child is not null)
                    {
                        PrepareValues(child, childPath, check, environment);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = SubstituteText(text, childPath, check, environment);
                    }
                    else if (array[i] is { } child)
                    {
                        PrepareValues(child, childPath, check, environment);
                    }
                }

                break;
        }
    }

    private static string? Text(JsonObject source, string key, SourceCheck check) => source[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw check.Error(key, "must be a string"),
    };

    private static string SubstituteText(string text, string path, SourceCheck check, Func<string, string?> environment)
        => VariableReference().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            return environment(name) ?? throw check.Error(path, $"refers to environment variable '{name}', which is not set");
        });

    /// <summary>
    /// How a source entry is read: the file's camelCase keys, exactly (no case folding), unknown members refused,
    /// numbers also as strings (so "${MAX_BYTES}" works), and "kind" choosing the subtype from <see cref="SourceKinds"/>.
    /// </summary>
    private static readonly JsonSerializerOptions EntryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new TextOrBooleanConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(SourceEntry))
                    {
                        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "kind" };
                        foreach (var row in SourceKinds.All)
                        {
                            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(row.EntryType, row.Name));
                        }
                    }
                },
            },
        },
    };

    /// <summary>
    /// Turns System.Text.Json's refusal (an unknown member, or a value of the wrong type) into a message that names
    /// the source and the key as the file spells it.
    /// </summary>
    private static SourcesFileException Explain(JsonException exception, SourceKinds.Row kind, SourceCheck check)
    {
        var segments = PathSegment().Matches(exception.Path ?? "$").Select(m => m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["quoted"].Success ? m.Groups["quoted"].Value : $"[{m.Groups["index"].Value}]").ToList();
        var key = string.Join('.', segments).Replace(".[", "[", StringComparison.Ordinal);
        if (segments.Count == 0)
        {
            return check.Error(null, "must be an object");
        }

        var type = TypeAt(kind.EntryType, segments);
        if (type is not null)
        {
            return check.Error(key, Expected(type));
        }

        // Not a member of this kind's entry: a key of another kind's ("web" on a folder source), or unknown.
        var member = segments[^1];
        return segments.Count == 1 && SourceKinds.All.Any(row => row != kind && MemberType(row.EntryType, member) is not null)
            ? check.Error(member, $"does not apply to kind '{kind.Name}'")
            : check.Error(key, "is not a known key");
    }

    /// <summary>The type a path inside a source entry reads into; null when some step is not a member.</summary>
    private static Type? TypeAt(Type type, IEnumerable<string> segments)
    {
        Type? current = type;
        foreach (var segment in segments)
        {
            if (current is null)
            {
                return null;
            }

            current = Nullable.GetUnderlyingType(current) ?? current;
            current = current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? current.GetGenericArguments()[1]
                : current.IsGenericType && current.GetGenericTypeDefinition() == typeof(List<>) && segment.StartsWith('[') ? current.GetGenericArguments()[0]
                : MemberType(current, segment);
        }

        return current is null ? null : Nullable.GetUnderlyingType(current) ?? current;
    }

    private static Type? MemberType(Type type, string jsonName) =>
        EntryJson.GetTypeInfo(type).Properties.FirstOrDefault(p => p.Name == jsonName)?.PropertyType;

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(string) => "must be a string",
        _ when type == typeof(long) || type == typeof(int) => "must be a whole number",
        _ when type == typeof(double) => "must be a number",
        _ when type == typeof(bool) => "must be true or false",
        _ when type == typeof(List<string>) => "must be an array of strings",
        _ when type == typeof(Dictionary<string, string>) => "must be an object of names to strings",
        _ when typeof(IDictionary).IsAssignableFrom(type) => "must be an object of names to values",
        _ => "must be an object",
    };

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

    /// <summary>Booleans may also be written as the strings "true"/"false" (so "${FLAG}" works).</summary>
    private sealed class TextOrBooleanConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
            _ => throw new JsonException(),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex SourceNamePattern();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariableReference();

    // System.Text.Json paths: $.web.headers.X-Key, $.secureTokens[0], $['odd name'].
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]")]
    private static partial Regex PathSegment();
}
