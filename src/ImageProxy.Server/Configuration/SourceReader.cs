using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// Typed reads of one source's JSON with errors that name the file, the source and the key, and
/// ${NAME} environment substitution in every string value (so secrets can stay out of the file).
/// Error messages never quote a string value that might have come from a secret.
/// </summary>
internal sealed partial class SourceReader(string fileLabel, string sourceLabel, Func<string, string?> environment)
{
    public SourceReader Named(string name) => new(fileLabel, $"source '{name}'", environment);

    public SourcesFileException Error(string? key, string problem) => key is null
        ? new SourcesFileException($"Sources file '{fileLabel}': {sourceLabel} {problem}.")
        : new SourcesFileException($"Sources file '{fileLabel}': {sourceLabel}: key '{key}' {problem}.");

    public string RequiredString(JsonElement parent, string key, string? path = null)
    {
        path ??= key;
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(path, "is required");
        }

        var text = ReadString(value, path);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(path, "must not be empty");
        }

        return text;
    }

    public JsonElement RequiredObject(JsonElement parent, string key)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(key, "is required");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(key, "must be an object");
        }

        return value;
    }

    public IReadOnlyList<string> OptionalStringArray(JsonElement parent, string key, string? path = null)
    {
        path ??= key;
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, "must be an array of strings");
        }

        return value.EnumerateArray().Select((item, i) => ReadString(item, $"{path}[{i}]")).ToArray();
    }

    /// <summary>null when absent; an empty string counts as absent too (an unset "${VAR}" is an error, not empty).</summary>
    public string? OptionalString(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = ReadString(value, path);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    public bool OptionalBool(JsonElement parent, string key, string path, bool fallback = false)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(ReadString(value, path), out var parsed) => parsed,
            _ => throw Error(path, "must be true or false"),
        };
    }

    /// <summary>Object of parameter name → value; numbers and booleans are accepted and kept as their JSON text.</summary>
    public IReadOnlyDictionary<string, string> OptionalStringMap(JsonElement parent, string key, string? prefix = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(prefix ?? key, "must be an object of names to values");
        }

        foreach (var property in value.EnumerateObject())
        {
            var path = $"{prefix ?? key}.{property.Name}";
            map[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => ReadString(property.Value, path),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw Error(path, "must be a string, number or boolean"),
            };
        }

        return map;
    }

    public long OptionalInteger(JsonElement parent, string key, long fallback, long minimum, string? path = null)
    {
        path ??= key;
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        long number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            number = n;
        }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(ReadString(value, path), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            number = s; // lets ops write "${MAX_BYTES}"
        }
        else
        {
            throw Error(path, "must be a whole number");
        }

        if (number < minimum)
        {
            throw Error(path, $"must be at least {minimum}");
        }

        return number;
    }

    public double OptionalNumber(JsonElement parent, string key, string path, double fallback)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            number = value.GetDouble();
        }
        else if (value.ValueKind == JsonValueKind.String
                 && double.TryParse(ReadString(value, path), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
        }
        else
        {
            throw Error(path, "must be a number");
        }

        if (!(number > 0) || number > 3600)
        {
            throw Error(path, "must be greater than 0 and at most 3600");
        }

        return number;
    }

    public void RefuseUnknownKeys(JsonElement element, string? parentPath, IReadOnlyCollection<string> allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            // "$comment", "$schema" and the like are for humans and editors.
            if (property.Name.StartsWith('$') || allowed.Contains(property.Name))
            {
                continue;
            }

            throw Error(parentPath is null ? property.Name : $"{parentPath}.{property.Name}", "is not a known key");
        }
    }

    public void RefuseKey(JsonElement element, string key, string why)
    {
        if (element.TryGetProperty(key, out _))
        {
            throw Error(key, why);
        }
    }

    private string ReadString(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(path, "must be a string");
        }

        return Substitute(value.GetString()!, path);
    }

    private string Substitute(string text, string path) => VariableReference().Replace(text, match =>
    {
        var name = match.Groups[1].Value;
        return environment(name) ?? throw Error(path, $"refers to environment variable '{name}', which is not set");
    });

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariableReference();
}
