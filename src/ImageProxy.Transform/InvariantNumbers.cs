using System.Globalization;

namespace ImageProxy.Transform;

/// <summary>
/// Culture-independent number reading and writing for query values. Writing gives the shortest text that
/// reads back to the same double, never in exponent form (the readers accept only plain decimals).
/// </summary>
internal static class InvariantNumbers
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Plain decimal (optional sign, digits, optional point); false for NaN, infinities, exponents and junk.</summary>
    public static bool TryReadDecimal(string text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 400)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or '.' or '-' or '+'))
            {
                return false;
            }
        }

        return double.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Unsigned ASCII digits only, within int range.</summary>
    public static bool TryReadInteger(string text, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 12 && IsDigits(text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Unsigned ASCII digits only, within long range.</summary>
    public static bool TryReadLong(string text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 20 && IsDigits(text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Shortest round-trip text without exponent, e.g. 0.5, 1.7777777777777777, 0.00001.</summary>
    public static string Format(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        if (exponentAt < 0)
        {
            return text;
        }

        var exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = text[..exponentAt];
        var negative = mantissa.StartsWith('-');
        if (negative)
        {
            mantissa = mantissa[1..];
        }

        var pointAt = mantissa.IndexOf('.');
        var digits = pointAt < 0 ? mantissa : mantissa.Remove(pointAt, 1);
        var integerDigits = (pointAt < 0 ? mantissa.Length : pointAt) + exponent;
        string plain;
        if (integerDigits <= 0)
        {
            plain = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            plain = digits + new string('0', integerDigits - digits.Length);
        }
        else
        {
            plain = digits[..integerDigits] + "." + digits[integerDigits..];
        }

        return negative ? "-" + plain : plain;
    }

    /// <summary>Like <see cref="Format"/> but always with a decimal point, so the text reads back as a fraction.</summary>
    public static string FormatFraction(double value)
    {
        var text = Format(value);
        return text.Contains('.') ? text : text + ".0";
    }

    /// <summary>Integer text in the invariant culture.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
