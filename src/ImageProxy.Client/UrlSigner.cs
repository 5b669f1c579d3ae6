using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImageProxy.Client;

/// <summary>
/// Builds a signed URL path + query exactly as <c>@imgix/js-core</c> 3.x <c>buildURL</c> does (without ixlib), so a
/// URL printed by our <c>sign</c> command is byte for byte the one an imgix client would produce and vice versa.
/// </summary>
/// <remarks>
/// js-core's rules, reproduced here: the leading '/' is stripped and re-added; a path that starts with http(s)://
/// is a web-proxy path and is encoded whole with encodeURIComponent; any other path goes through encodeURI and then
/// has '#', '?', ':' and '+' encoded too. Parameter names and values are encodeURIComponent-encoded in the order
/// given; a name ending in "64" gets its value as unpadded base64url of the UTF-8 text instead. The signature is
/// the lowercase hex MD5 of token + path + query (with '?'), appended last as <c>s</c>.
/// The server verifies with <see cref="ComputeSignature"/> too, so signer and verifier cannot drift apart.
/// </remarks>
public static class UrlSigner
{
    // encodeURIComponent leaves A–Z a–z 0–9 and these alone (ECMA-262 uriUnreserved).
    private const string ComponentSafe = "-_.!~*'()";

    // encodeURI additionally leaves the reserved characters and '#' alone (uriReserved + '#').
    private const string UriSafe = ComponentSafe + ";,/?:@&=+$#";

    /// <summary>The encoded path (leading '/') and query (leading '?' or empty) with <c>s</c> appended.</summary>
    /// <exception cref="ArgumentException">Text with a lone surrogate (JavaScript would throw URIError too).</exception>
    public static string Sign(string token, string path, IEnumerable<KeyValuePair<string, string>> parameters, bool disablePathEncoding = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var encodedPath = EncodePath(path ?? string.Empty, disablePathEncoding);
        var query = BuildQuery(parameters ?? []);
        var signature = ComputeSignature(token, encodedPath, query);
        return encodedPath + (query.Length > 0 ? query + "&s=" : "?s=") + signature;
    }

    /// <summary>Lowercase hex MD5 of token + raw path + raw query (query with its leading '?', or empty).</summary>
    public static string ComputeSignature(string token, string rawPath, string rawQueryWithQuestionMark)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(token + rawPath + rawQueryWithQuestionMark));
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    /// <summary>js-core's _sanitizePath.</summary>
    public static string EncodePath(string path, bool disablePathEncoding = false)
    {
        var trimmed = path.StartsWith('/') ? path[1..] : path;
        if (disablePathEncoding)
        {
            return "/" + trimmed;
        }

        if (trimmed.StartsWith("http://", StringComparison.Ordinal) || trimmed.StartsWith("https://", StringComparison.Ordinal))
        {
            return "/" + Encode(trimmed, ComponentSafe);
        }

        // encodeURI, then '#', '?', ':' and '+' through encodeURIComponent (their %XX forms).
        var encoded = Encode(trimmed, UriSafe);
        return "/" + encoded.Replace("#", "%23").Replace("?", "%3F").Replace(":", "%3A").Replace("+", "%2B");
    }

    /// <summary>js-core's _buildParams without ixlib: "?k=v&amp;…" or empty.</summary>
    public static string BuildQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var pairs = new List<string>();
        foreach (var (key, value) in parameters)
        {
            var encodedValue = key.EndsWith("64", StringComparison.Ordinal)
                ? Base64UrlUnpadded(Encoding.UTF8.GetBytes(StrictUtf16(value)))
                : Encode(value, ComponentSafe);
            pairs.Add(Encode(key, ComponentSafe) + "=" + encodedValue);
        }

        return pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs);
    }

    // System.Buffers.Text.Base64Url arrived in .NET 9; this package also targets .NET 8.
    private static string Base64UrlUnpadded(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>ECMAScript Encode(): UTF-8 bytes of every character outside <paramref name="safe"/> as uppercase %XX.</summary>
    private static string Encode(string text, string safe)
    {
        var builder = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in StrictUtf16(text).EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || safe.Contains((char)rune.Value)))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string StrictUtf16(string text)
    {
        // EnumerateRunes would silently turn a lone surrogate into U+FFFD and sign a different URL than the caller meant.
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new ArgumentException("Text contains a lone UTF-16 surrogate and cannot be URL-encoded.");
            }
        }

        return text;
    }
}
