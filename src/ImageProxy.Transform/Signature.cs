namespace ImageProxy.Transform;

/// <summary>imgix URL signatures: lowercase hex MD5 of token + raw path + raw query (with '?', without s).</summary>
public static class Signature
{
    /// <summary>
    /// True when the raw request target carries a valid <c>s</c> for any of <paramref name="tokens"/>.
    /// <paramref name="rawPath"/> is the still-encoded path; <paramref name="rawQuery"/> the raw query with or without '?'.
    /// </summary>
    public static bool Verify(IReadOnlyList<string> tokens, string rawPath, string rawQuery) => throw new NotImplementedException();

    /// <summary>Signature for token + path + query (query with its leading '?', or empty).</summary>
    public static string Compute(string token, string rawPath, string rawQueryWithQuestionMark) => throw new NotImplementedException();
}
