using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Transform;

/// <summary>Cache key (and strong ETag) from the canonical plan; parameter order, aliases, base64 forms and the signature cannot fragment it.</summary>
public static class CacheKey
{
    /// <summary>Key-format version; bump when the canonical text or the rendering changes meaning.</summary>
    /// <remarks>2: the render policy joined the key.</remarks>
    public const int Version = 2;

    /// <summary>Canonical text of a plan: defaults omitted, fixed order, invariant culture.</summary>
    /// <remarks>
    /// Parameters appear in <see cref="Parameters.All"/> order under their canonical keys, values percent-encoded
    /// where needed; parsing and building this text gives back an equal plan.
    /// </remarks>
    public static string Canonical(TransformPlan plan)
    {
        var builder = new StringBuilder();
        foreach (var definition in Parameters.All)
        {
            if (definition.CanonicalValue(plan) is not { } value)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(definition.Name).Append('=').Append(value);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Lowercase hex SHA-256 over version, source name, object key, origin validator (may be null),
    /// canonical plan, output format (null = same as source) and render policy.
    /// </summary>
    /// <param name="renderPolicy">
    /// Server policy that changes the output without being in the URL (see <see cref="Limits.OutputPolicy"/> and the
    /// host's encoder settings): after an operator changes it, results made under the old policy must not be served
    /// for up to a year of max-age.
    /// </param>
    /// <remarks>
    /// Fields are joined with '\n'; a '\' or newline inside the source name, key, validator or policy is escaped
    /// (as "\\" and "\n") so that two different field lists can never produce the same text.
    /// </remarks>
    public static string Compute(string sourceName, string objectKey, string? originValidator, TransformPlan plan, ImageFormat? format, string renderPolicy)
    {
        var text = string.Join('\n',
            "v" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Escape(sourceName),
            Escape(objectKey),
            Escape(originValidator),
            Canonical(plan),
            format is { } f ? f.ToString().ToLowerInvariant() : "source",
            Escape(renderPolicy));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Escape(string? field) =>
        string.IsNullOrEmpty(field) ? string.Empty : field.Replace("\\", "\\\\").Replace("\n", "\\n");
}
