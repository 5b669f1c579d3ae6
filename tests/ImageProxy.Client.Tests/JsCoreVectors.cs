using System.Text.Json;

namespace ImageProxy.Client.Tests;

/// <summary>Reads tests/vectors/signing-vectors.json (written by @imgix/js-core 3.8.0) into the client's own types.</summary>
internal static class JsCoreVectors
{
    public const string Domain = "https://imageproxy.example.com";

    public static JsonDocument Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "signing-vectors.json")));

    /// <summary>The case's parameters as js-core saw them: ixlib first when the client added it, values as String(value).</summary>
    public static ImageParameters Parameters(JsonElement vectorCase)
    {
        var parameters = new ImageParameters();
        if (vectorCase.GetProperty("ixlib").GetBoolean())
        {
            parameters.Set("ixlib", "js-3.8.0");
        }

        foreach (var p in vectorCase.GetProperty("input").GetProperty("params").EnumerateObject())
        {
            parameters.Set(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }

        return parameters;
    }

    /// <summary>js-core's buildSrcSet options mapped onto <see cref="SrcsetOptions"/>.</summary>
    public static SrcsetOptions SrcsetOptions(JsonElement options)
    {
        var result = new SrcsetOptions();
        foreach (var option in options.EnumerateObject())
        {
            switch (option.Name)
            {
                case "minWidth": result.MinWidth = option.Value.GetInt32(); break;
                case "maxWidth": result.MaxWidth = option.Value.GetInt32(); break;
                case "widthTolerance": result.WidthTolerance = option.Value.GetDouble(); break;
                case "widths": result.Widths = option.Value.EnumerateArray().Select(w => w.GetInt32()).ToList(); break;
                case "devicePixelRatios": result.DevicePixelRatios = option.Value.EnumerateArray().Select(r => r.GetDouble()).ToList(); break;
                case "variableQualities":
                    result.VariableQualities = option.Value.EnumerateObject().ToDictionary(q => double.Parse(q.Name), q => q.Value.GetInt32());
                    break;
                case "disableVariableQuality": result.DisableVariableQuality = option.Value.GetBoolean(); break;
                default: throw new InvalidOperationException($"the vectors use an option the test does not map: {option.Name}");
            }
        }

        return result;
    }
}
