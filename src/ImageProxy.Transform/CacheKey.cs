namespace ImageProxy.Transform;

/// <summary>Cache key (and strong ETag) from the canonical plan; parameter order, aliases, base64 forms and the signature cannot fragment it.</summary>
public static class CacheKey
{
    /// <summary>Key-format version; bump when the canonical text or the rendering changes meaning.</summary>
    public const int Version = 1;

    /// <summary>Canonical text of a plan: defaults omitted, fixed order, invariant culture.</summary>
    public static string Canonical(TransformPlan plan) => throw new NotImplementedException();

    /// <summary>
    /// Lowercase hex SHA-256 over version, source name, object key, origin validator (may be null),
    /// canonical plan and output format (null = same as source).
    /// </summary>
    public static string Compute(string sourceName, string objectKey, string? originValidator, TransformPlan plan, ImageFormat? format)
        => throw new NotImplementedException();
}
