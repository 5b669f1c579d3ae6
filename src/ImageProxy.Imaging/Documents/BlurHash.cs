using System.Text;

namespace ImageProxy.Imaging.Documents;

/// <summary>
/// A BlurHash encoder, written from the published algorithm (github.com/woltapp/blurhash, "Algorithm.md"): the picture
/// in linear light is projected onto a few cosine components; the average colour (DC) is stored as sRGB in 4 base-83
/// digits, every other component as a signed, square-root-compressed value quantised to 19 levels per channel relative
/// to the largest one, 2 digits each.
/// </summary>
public static class BlurHash
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

    /// <summary>Encodes an RGB picture (3 bytes a pixel, row by row) with <paramref name="xComponents"/>×<paramref name="yComponents"/> components (1–9 each).</summary>
    public static string Encode(ReadOnlySpan<byte> rgb, int width, int height, int xComponents, int yComponents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(xComponents, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(xComponents, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(yComponents, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(yComponents, 9);
        if (width < 1 || height < 1 || rgb.Length < width * height * 3)
        {
            throw new ArgumentException("the pixel buffer does not hold width × height RGB pixels", nameof(rgb));
        }

        // Linear light per pixel, computed once for all components.
        var linear = new double[width * height * 3];
        for (var i = 0; i < linear.Length; i++)
        {
            linear[i] = SrgbToLinear(rgb[i]);
        }

        var factors = new (double R, double G, double B)[xComponents * yComponents];
        var cosX = new double[width];
        var cosY = new double[height];
        for (var j = 0; j < yComponents; j++)
        {
            for (var y = 0; y < height; y++)
            {
                cosY[y] = Math.Cos(Math.PI * j * y / height);
            }

            for (var i = 0; i < xComponents; i++)
            {
                for (var x = 0; x < width; x++)
                {
                    cosX[x] = Math.Cos(Math.PI * i * x / width);
                }

                double r = 0, g = 0, b = 0;
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var basis = cosX[x] * cosY[y];
                        var p = ((y * width) + x) * 3;
                        r += basis * linear[p];
                        g += basis * linear[p + 1];
                        b += basis * linear[p + 2];
                    }
                }

                // The DC term is a plain average; the cosine terms carry a factor 2 (their basis averages 1/2 in square).
                var scale = (i == 0 && j == 0 ? 1.0 : 2.0) / (width * height);
                factors[(j * xComponents) + i] = (r * scale, g * scale, b * scale);
            }
        }

        var hash = new StringBuilder(4 + 2 + (2 * factors.Length));
        Append(hash, (xComponents - 1) + ((yComponents - 1) * 9), 1);

        double maximum = 1;
        if (factors.Length > 1)
        {
            var actualMaximum = 0.0;
            for (var k = 1; k < factors.Length; k++)
            {
                actualMaximum = Math.Max(actualMaximum, Math.Max(Math.Abs(factors[k].R), Math.Max(Math.Abs(factors[k].G), Math.Abs(factors[k].B))));
            }

            var quantisedMaximum = (int)Math.Clamp(Math.Floor((actualMaximum * 166) - 0.5), 0, 82);
            maximum = (quantisedMaximum + 1) / 166.0;
            Append(hash, quantisedMaximum, 1);
        }
        else
        {
            Append(hash, 0, 1);
        }

        var dc = factors[0];
        Append(hash, (LinearToSrgb(dc.R) << 16) + (LinearToSrgb(dc.G) << 8) + LinearToSrgb(dc.B), 4);
        for (var k = 1; k < factors.Length; k++)
        {
            var (r, g, b) = factors[k];
            Append(hash, (QuantiseAc(r, maximum) * 19 * 19) + (QuantiseAc(g, maximum) * 19) + QuantiseAc(b, maximum), 2);
        }

        return hash.ToString();
    }

    private static int QuantiseAc(double value, double maximum) =>
        (int)Math.Clamp(Math.Floor((SignedPow(value / maximum, 0.5) * 9) + 9.5), 0, 18);

    private static double SignedPow(double value, double exponent) => Math.CopySign(Math.Pow(Math.Abs(value), exponent), value);

    private static double SrgbToLinear(byte value)
    {
        var v = value / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
    }

    private static int LinearToSrgb(double value)
    {
        var v = Math.Clamp(value, 0, 1);
        return v <= 0.0031308 ? (int)((v * 12.92 * 255) + 0.5) : (int)((((1.055 * Math.Pow(v, 1 / 2.4)) - 0.055) * 255) + 0.5);
    }

    /// <summary>Appends <paramref name="value"/> as exactly <paramref name="digits"/> base-83 digits, most significant first.</summary>
    private static void Append(StringBuilder hash, int value, int digits)
    {
        for (var d = digits - 1; d >= 0; d--)
        {
            var power = 1;
            for (var k = 0; k < d; k++)
            {
                power *= 83;
            }

            hash.Append(Alphabet[value / power % 83]);
        }
    }
}
