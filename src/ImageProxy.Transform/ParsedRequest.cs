namespace ImageProxy.Transform;

/// <summary>
/// A query split into parameters, with <c>NAME64</c> values already base64url-decoded and stored
/// under NAME, aliases left as written (the plan builder resolves them), order preserved.
/// </summary>
public sealed record ParsedRequest(IReadOnlyList<KeyValuePair<string, string>> Parameters, string? Signature);
