using System.Buffers.Binary;
using System.Text;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// The two small ICC profiles <c>cs</c> embeds that libvips does not ship (its built-ins are srgb, p3 and cmyk): a compact
/// sRGB for <c>cs=tinysrgb</c> and an Adobe RGB (1998)-compatible one for <c>cs=adobergb1998</c>. Both are ICC v2
/// display (matrix/TRC) profiles written here from the published primaries, white point and transfer curve, so nobody's
/// profile file (and licence) is shipped; every viewer that reads ICC v2 reads them. The colorants are adapted to the
/// ICC's D50 connection space with the Bradford transform, as the ICC specification asks.
/// </summary>
internal static class IccProfiles
{
    /// <summary>A colour space defined by its primaries and white point (CIE xy) and its transfer curve.</summary>
    internal sealed record RgbSpace((double X, double Y) Red, (double X, double Y) Green, (double X, double Y) Blue, (double X, double Y) White);

    /// <summary>IEC 61966-2-1 (sRGB): Rec. 709 primaries, D65.</summary>
    internal static readonly RgbSpace Srgb = new((0.64, 0.33), (0.30, 0.60), (0.15, 0.06), (0.3127, 0.3290));

    /// <summary>Adobe RGB (1998) specification: its own primaries, D65.</summary>
    internal static readonly RgbSpace AdobeRgb = new((0.64, 0.33), (0.21, 0.71), (0.15, 0.06), (0.3127, 0.3290));

    /// <summary>Adobe RGB (1998)'s encoding gamma, 2 51/256 (stored exactly as a u8Fixed8 in the curve).</summary>
    internal const double AdobeGamma = 563 / 256.0;

    /// <summary>
    /// Samples of the sRGB curve in the compact profile: 32 equally spaced points with linear interpolation map every
    /// 8-bit value back to itself (worst case 0.42 of a level), while 24 points already miss 8 values by one.
    /// </summary>
    private const int SrgbCurvePoints = 32;

    private static readonly (double X, double Y, double Z) D50 = (0.9642, 1.0, 0.8249);

    public static readonly byte[] TinySrgb = Build("Compact sRGB (ImageProxy)", Srgb, SrgbCurve());

    public static readonly byte[] AdobeRgb1998 = Build("Adobe RGB (1998) compatible (ImageProxy)", AdobeRgb, [(ushort)(AdobeGamma * 256)]);

    /// <summary>Linear sRGB to linear Adobe RGB (1998), rows = output bands. Both are D65, so no adaptation is needed.</summary>
    public static double[,] SrgbToAdobeRgbLinear() => Multiply(Invert(ToXyz(AdobeRgb)), ToXyz(Srgb));

    /// <summary>The colorants (columns: red, green, blue in XYZ) adapted to D50, as the rXYZ/gXYZ/bXYZ tags hold them.</summary>
    internal static double[,] ColorantsD50(RgbSpace space) => Multiply(BradfordToD50(space.White), ToXyz(space));

    private static ushort[] SrgbCurve()
    {
        var curve = new ushort[SrgbCurvePoints];
        for (var i = 0; i < curve.Length; i++)
        {
            var v = i / (double)(curve.Length - 1);
            var linear = v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            curve[i] = (ushort)Math.Round(linear * 65535);
        }

        return curve;
    }

    /// <summary>RGB (linear) to XYZ for the space's white: the primaries' XYZ columns scaled so that RGB 1,1,1 is the white.</summary>
    private static double[,] ToXyz(RgbSpace space)
    {
        static (double X, double Y, double Z) Xyz((double X, double Y) c) => (c.X / c.Y, 1, (1 - c.X - c.Y) / c.Y);
        var (r, g, b, w) = (Xyz(space.Red), Xyz(space.Green), Xyz(space.Blue), Xyz(space.White));
        double[,] primaries = { { r.X, g.X, b.X }, { r.Y, g.Y, b.Y }, { r.Z, g.Z, b.Z } };
        var s = Apply(Invert(primaries), w);
        return Multiply(primaries, Diagonal(s));
    }

    private static double[,] BradfordToD50((double X, double Y) white)
    {
        double[,] bradford = { { 0.8951, 0.2664, -0.1614 }, { -0.7502, 1.7135, 0.0367 }, { 0.0389, -0.0685, 1.0296 } };
        var source = Apply(bradford, (white.X / white.Y, 1, (1 - white.X - white.Y) / white.Y));
        var target = Apply(bradford, D50);
        var scale = Diagonal((target.X / source.X, target.Y / source.Y, target.Z / source.Z));
        return Multiply(Invert(bradford), Multiply(scale, bradford));
    }

    /// <summary>An ICC v2 display profile: header, tag table, then the tag data (each 4-byte aligned; the three curves share one).</summary>
    private static byte[] Build(string description, RgbSpace space, ushort[] curve)
    {
        var colorants = ColorantsD50(space);
        var data = new List<(string Signature, byte[] Bytes)>
        {
            ("desc", TextDescription(description)),
            ("cprt", Text("No copyright, use freely")),
            ("wtpt", Xyz(D50)),
            ("rXYZ", Xyz((colorants[0, 0], colorants[1, 0], colorants[2, 0]))),
            ("gXYZ", Xyz((colorants[0, 1], colorants[1, 1], colorants[2, 1]))),
            ("bXYZ", Xyz((colorants[0, 2], colorants[1, 2], colorants[2, 2]))),
            ("rTRC", Curve(curve)),
        };
        string[] sharedCurve = ["gTRC", "bTRC"];
        var tagCount = data.Count + sharedCurve.Length;
        var offset = 128 + 4 + (12 * tagCount);
        var table = new List<(string Signature, int Offset, int Size)>();
        using var body = new MemoryStream();
        foreach (var (signature, bytes) in data)
        {
            table.Add((signature, offset + (int)body.Length, bytes.Length));
            body.Write(bytes);
            body.Write(new byte[Pad4(bytes.Length) - bytes.Length]);
        }

        var trc = table[^1];
        table.AddRange(sharedCurve.Select(s => (s, trc.Offset, trc.Size)));

        var profile = new byte[offset + body.Length];
        var span = profile.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)profile.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], 0x02100000); // version 2.1
        Ascii(span[12..], "mntr");
        Ascii(span[16..], "RGB ");
        Ascii(span[20..], "XYZ ");
        // Creation date fixed (2026-01-01), so the profile's bytes, and so every output's, never change.
        BinaryPrimitives.WriteUInt16BigEndian(span[24..], 2026);
        BinaryPrimitives.WriteUInt16BigEndian(span[26..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[28..], 1);
        Ascii(span[36..], "acsp");
        WriteXyz(span[68..], D50); // the connection space's illuminant
        BinaryPrimitives.WriteUInt32BigEndian(span[128..], (uint)tagCount);
        for (var i = 0; i < table.Count; i++)
        {
            var entry = span[(132 + (12 * i))..];
            Ascii(entry, table[i].Signature);
            BinaryPrimitives.WriteUInt32BigEndian(entry[4..], (uint)table[i].Offset);
            BinaryPrimitives.WriteUInt32BigEndian(entry[8..], (uint)table[i].Size);
        }

        body.ToArray().CopyTo(span[offset..]);
        return profile;
    }

    private static int Pad4(int n) => (n + 3) & ~3;

    private static void Ascii(Span<byte> target, string text) => Encoding.ASCII.GetBytes(text, target);

    /// <summary>textDescriptionType (v2): the ASCII name, then empty Unicode and ScriptCode parts (67 bytes of the latter are fixed).</summary>
    private static byte[] TextDescription(string text)
    {
        var bytes = new byte[12 + text.Length + 1 + 8 + 3 + 67];
        Ascii(bytes, "desc");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)(text.Length + 1));
        Ascii(bytes.AsSpan(12), text);
        return bytes;
    }

    private static byte[] Text(string text)
    {
        var bytes = new byte[8 + text.Length + 1];
        Ascii(bytes, "text");
        Ascii(bytes.AsSpan(8), text);
        return bytes;
    }

    private static byte[] Xyz((double X, double Y, double Z) value)
    {
        var bytes = new byte[20];
        Ascii(bytes, "XYZ ");
        WriteXyz(bytes.AsSpan(8), value);
        return bytes;
    }

    private static void WriteXyz(Span<byte> target, (double X, double Y, double Z) value)
    {
        BinaryPrimitives.WriteInt32BigEndian(target, S15Fixed16(value.X));
        BinaryPrimitives.WriteInt32BigEndian(target[4..], S15Fixed16(value.Y));
        BinaryPrimitives.WriteInt32BigEndian(target[8..], S15Fixed16(value.Z));
    }

    private static int S15Fixed16(double value) => (int)Math.Round(value * 65536);

    /// <summary>curveType: one entry is a gamma (u8Fixed8), more are equally spaced samples of the curve.</summary>
    private static byte[] Curve(ushort[] points)
    {
        var bytes = new byte[12 + (2 * points.Length)];
        Ascii(bytes, "curv");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)points.Length);
        for (var i = 0; i < points.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(12 + (2 * i)), points[i]);
        }

        return bytes;
    }

    private static (double X, double Y, double Z) Apply(double[,] m, (double X, double Y, double Z) v) =>
        ((m[0, 0] * v.X) + (m[0, 1] * v.Y) + (m[0, 2] * v.Z),
         (m[1, 0] * v.X) + (m[1, 1] * v.Y) + (m[1, 2] * v.Z),
         (m[2, 0] * v.X) + (m[2, 1] * v.Y) + (m[2, 2] * v.Z));

    private static double[,] Diagonal((double X, double Y, double Z) d) => new double[,] { { d.X, 0, 0 }, { 0, d.Y, 0 }, { 0, 0, d.Z } };

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var product = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                for (var k = 0; k < 3; k++)
                {
                    product[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return product;
    }

    private static double[,] Invert(double[,] m)
    {
        var det = (m[0, 0] * ((m[1, 1] * m[2, 2]) - (m[1, 2] * m[2, 1])))
                - (m[0, 1] * ((m[1, 0] * m[2, 2]) - (m[1, 2] * m[2, 0])))
                + (m[0, 2] * ((m[1, 0] * m[2, 1]) - (m[1, 1] * m[2, 0])));
        var inverse = new double[3, 3];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                // Cofactor of (j, i) over the determinant: the adjugate's entry (i, j).
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                inverse[i, j] = ((m[r0, c0] * m[r1, c1]) - (m[r0, c1] * m[r1, c0])) / det;
            }
        }

        return inverse;
    }
}
