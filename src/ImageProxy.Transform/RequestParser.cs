namespace ImageProxy.Transform;

/// <summary>Raw query string → <see cref="ParsedRequest"/>. Pure; never throws.</summary>
/// <remarks>
/// Rules: pairs split on '&amp;' (empty pairs skipped), name and value split on the first '=' (a bare key has
/// an empty value). Names and values are percent-decoded; '+' stays a literal '+' (see <see cref="QueryText"/>);
/// a malformed escape is kept as literal text rather than refused. <c>s</c> is taken out as the signature.
/// <c>NAME64</c> is base64url-decoded and stored under NAME; an invalid value is a 400 naming <c>NAME64</c>,
/// as imgix does. <c>auto64</c> and <c>ch64</c> do not exist in imgix and are dropped like unknown parameters.
/// More than <see cref="Parameters.MaxParameterCount"/> pairs is a 400.
/// </remarks>
public static class RequestParser
{
    private const string Base64Suffix = "64";

    /// <summary>Parses a raw (still percent-encoded) query, with or without its leading '?'.</summary>
    public static Result<ParsedRequest> Parse(string rawQuery)
    {
        var query = rawQuery ?? string.Empty;
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var parameters = new List<KeyValuePair<string, string>>();
        string? signature = null;
        var pairCount = 0;
        var start = 0;
        while (start <= query.Length)
        {
            var end = query.IndexOf('&', start);
            if (end < 0)
            {
                end = query.Length;
            }

            if (end > start)
            {
                if (++pairCount > Parameters.MaxParameterCount)
                {
                    return new TransformError(400, $"Too many query parameters (at most {Parameters.MaxParameterCount}).");
                }

                var error = AddPair(query.AsSpan(start, end - start), parameters, ref signature);
                if (error is not null)
                {
                    return error;
                }
            }

            start = end + 1;
        }

        return new ParsedRequest(parameters, signature);
    }

    private static TransformError? AddPair(ReadOnlySpan<char> pair, List<KeyValuePair<string, string>> parameters, ref string? signature)
    {
        var equals = pair.IndexOf('=');
        var rawName = equals < 0 ? pair : pair[..equals];
        var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
        var name = QueryText.Decode(rawName.ToString());
        var value = QueryText.Decode(rawValue.ToString());
        if (name.Length == 0)
        {
            return null;
        }

        if (name == "s")
        {
            signature = value;
            return null;
        }

        if (name.Length > Base64Suffix.Length && name.EndsWith(Base64Suffix, StringComparison.Ordinal))
        {
            var baseName = name[..^Base64Suffix.Length];
            if (baseName is Parameters.Auto or "ch")
            {
                return null;
            }

            if (!Base64Url.TryDecodeUtf8(value, out var decoded))
            {
                return TransformError.BadParameter(name, "not valid base64url (RFC 4648 URL-safe alphabet) text");
            }

            parameters.Add(new(baseName, decoded));
            return null;
        }

        parameters.Add(new(name, value));
        return null;
    }
}
