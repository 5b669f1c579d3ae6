using System.Text;

namespace ImageProxy.Transform;

/// <summary>
/// Percent-decoding and -encoding of query names and values. Decoding never fails: a '%' that is not
/// followed by two hex digits is kept as literal text (imgix clients never produce one, so keeping it is
/// the least surprising reading of a hand-typed URL), and bytes that are not UTF-8 become U+FFFD.
/// '+' is decoded as a literal '+', not a space: the imgix clients encode with encodeURIComponent, so a
/// real '+' in a value arrives as %2B and a space as %20; form-style '+' = space would corrupt base64 and dl names.
/// </summary>
internal static class QueryText
{
    /// <summary>Decodes %XX escapes (UTF-8); the result is always well-formed UTF-16.</summary>
    public static string Decode(string text)
    {
        if (text.IndexOf('%') < 0 && IsWellFormed(text))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> runeBytes = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
                i += 2;
                continue;
            }

            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                rune = new Rune(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                // A lone surrogate cannot be encoded; make it the replacement character so that
                // decode → encode → decode is stable (the cache key relies on that).
                rune = Rune.ReplacementChar;
            }
            else
            {
                rune = new Rune(c);
            }

            var written = rune.EncodeToUtf8(runeBytes);
            for (var k = 0; k < written; k++)
            {
                bytes.Add(runeBytes[k]);
            }
        }

        // The default UTF8 decoder replaces invalid sequences with U+FFFD instead of throwing.
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// Encodes a value for the canonical query: RFC 3986 unreserved characters plus ',' and ':' (used by
    /// rect, crop, auto and ar lists) stay literal; everything else becomes UTF-8 %XX.
    /// </summary>
    public static string Encode(string text)
    {
        var builder = new StringBuilder(text.Length);
        Span<byte> runeBytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && IsLiteral((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var written = rune.EncodeToUtf8(runeBytes);
            for (var k = 0; k < written; k++)
            {
                builder.Append('%').Append(runeBytes[k].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsLiteral(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' or ',' or ':';

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    internal static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
