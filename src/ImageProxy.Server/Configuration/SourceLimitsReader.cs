using System.Text.Json;
using ImageProxy.Server.Security;

namespace ImageProxy.Server.Configuration;

/// <summary>Reads a source's optional "limits" object; every key is optional and must be at least 1.</summary>
internal static class SourceLimitsReader
{
    private const string Key = "limits";

    public static SourceLimits? Read(SourceReader reader, JsonElement source)
    {
        if (!source.TryGetProperty(Key, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw reader.Error(Key, "must be an object");
        }

        // A misspelt limit would silently keep the global value: refuse unknown keys like everywhere else.
        reader.RefuseUnknownKeys(element, Key, SourceLimits.Keys);
        long? Integer(string name, long max) => element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? Math.Min(reader.OptionalInteger(element, name, 0, minimum: 1, path: $"{Key}.{name}"), max)
            : null;

        double? maxDpr = null;
        if (element.TryGetProperty("maxDpr", out var dpr) && dpr.ValueKind != JsonValueKind.Null)
        {
            if (dpr.ValueKind != JsonValueKind.Number || !dpr.TryGetDouble(out var value) || value < 1 || value > 10)
            {
                throw reader.Error($"{Key}.maxDpr", "must be a number from 1 to 10");
            }

            maxDpr = value;
        }

        return new SourceLimits(
            Integer("maxSourceBytes", long.MaxValue),
            Integer("maxSourcePixels", long.MaxValue),
            (int?)Integer("maxSourceFrames", int.MaxValue),
            (int?)Integer("maxOutputSide", int.MaxValue),
            Integer("maxOutputPixels", long.MaxValue),
            maxDpr);
    }
}
