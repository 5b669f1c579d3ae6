namespace ImageProxy.Transform;

/// <summary>Raw query string → <see cref="ParsedRequest"/>. Pure; never throws.</summary>
public static class RequestParser
{
    /// <summary>Parses a raw (still percent-encoded) query, with or without its leading '?'.</summary>
    public static Result<ParsedRequest> Parse(string rawQuery) => throw new NotImplementedException();
}
