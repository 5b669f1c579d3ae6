using System.Text;
using System.Text.Unicode;

namespace ImageProxy.Transform;

/// <summary>
/// Decoder for imgix <c>NAME64</c> values: RFC 4648 §5 "base64url" alphabet, '=' padding optional.
/// The standard alphabet's '+' and '/' are refused, as imgix answers them with 400.
/// </summary>
internal static class Base64Url
{
    /// <summary>Decodes to a UTF-8 string; false for any character outside the alphabet, a bad length or non-UTF-8 bytes.</summary>
    public static bool TryDecodeUtf8(string text, out string decoded)
    {
        decoded = string.Empty;
        var length = text.Length;
        var padding = 0;
        while (length > 0 && text[length - 1] == '=' && padding < 2)
        {
            length--;
            padding++;
        }

        // With padding the total must be a whole number of 4-character groups.
        if (padding > 0 && text.Length % 4 != 0)
        {
            return false;
        }

        if (length % 4 == 1)
        {
            return false;
        }

        var bytes = new byte[length * 3 / 4];
        var byteCount = 0;
        var buffer = 0;
        var bits = 0;
        for (var i = 0; i < length; i++)
        {
            var value = SextetOf(text[i]);
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[byteCount++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        var span = bytes.AsSpan(0, byteCount);
        if (!Utf8.IsValid(span))
        {
            return false;
        }

        decoded = Encoding.UTF8.GetString(span);
        return true;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
