using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Documents;

/// <summary>
/// fm=json: imgix's metadata document, from a header read only (no pixel is decoded). Keys follow imgix (which follows
/// Apple ImageIO): PixelWidth, PixelHeight (as stored, before orientation), ColorModel, Depth, DPIWidth, DPIHeight,
/// Orientation, ProfileName, HasAlpha, Content-Type, Content-Length, and the EXIF groups TIFF (IFD0), Exif (the Exif IFD)
/// and GPS where the source has them.
/// </summary>
public static partial class MetadataDocument
{
    /// <summary>libvips EXIF IFD prefixes and the imgix group each one fills; IFD1 (the thumbnail) and interop are left out.</summary>
    private static readonly (string Prefix, string Group)[] Groups = [("exif-ifd0-", "TIFF"), ("exif-ifd2-", "Exif"), ("exif-ifd3-", "GPS")];

    /// <summary>
    /// The document for <paramref name="source"/>. <paramref name="faces"/> (faces=1, filled by a face detector) becomes
    /// imgix's <c>Faces</c> array when not null.
    /// </summary>
    public static byte[] Build(byte[] source, SourceFacts facts, IReadOnlyList<PixelRect>? faces = null)
    {
        VipsRuntime.EnsureInitialized();
        using var input = Source.NewFromMemory(source);
        // The probe already chose and vetted the loader; sequential access reads the header and decodes nothing.
        using var image = VipsImage.NewFromSource(input, access: Enums.Access.Sequential);

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("PixelWidth", image.Width);
            json.WriteNumber("PixelHeight", image.Height);
            json.WriteString("ColorModel", ColorModel(image.Interpretation));
            json.WriteNumber("Depth", Depth(image.Format));
            json.WriteNumber("DPIWidth", Dpi(image.Xres));
            json.WriteNumber("DPIHeight", Dpi(image.Yres));
            json.WriteNumber("Orientation", facts.Orientation);
            json.WriteBoolean("HasAlpha", image.HasAlpha());
            if (image.Contains("icc-profile-data") && image.Get("icc-profile-data") is byte[] icc && IccProfile.Description(icc) is { } profileName)
            {
                json.WriteString("ProfileName", profileName);
            }

            json.WriteString("Content-Type", facts.Format.ContentType());
            // A string, as imgix sends it (the value of the original's Content-Length header).
            json.WriteString("Content-Length", source.LongLength.ToString(CultureInfo.InvariantCulture));
            if (facts.Pages > 1)
            {
                json.WriteNumber("Frames", facts.Pages);
            }

            WriteExifGroups(json, image);
            if (faces is not null)
            {
                json.WriteStartArray("Faces");
                foreach (var face in faces)
                {
                    json.WriteStartObject();
                    json.WriteStartObject("bounds");
                    json.WriteNumber("x", face.X);
                    json.WriteNumber("y", face.Y);
                    json.WriteNumber("width", face.Width);
                    json.WriteNumber("height", face.Height);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string ColorModel(Enums.Interpretation interpretation) => interpretation switch
    {
        Enums.Interpretation.Bw or Enums.Interpretation.Grey16 => "Gray",
        Enums.Interpretation.Cmyk => "CMYK",
        Enums.Interpretation.Lab or Enums.Interpretation.Labs or Enums.Interpretation.Labq => "Lab",
        _ => "RGB",
    };

    /// <summary>Bits per sample.</summary>
    private static int Depth(Enums.BandFormat format) => format switch
    {
        Enums.BandFormat.Uchar or Enums.BandFormat.Char => 8,
        Enums.BandFormat.Ushort or Enums.BandFormat.Short => 16,
        Enums.BandFormat.Double or Enums.BandFormat.Dpcomplex => 64,
        _ => 32,
    };

    /// <summary>libvips keeps resolution in pixels per millimetre.</summary>
    private static double Dpi(double pixelsPerMillimetre) => Math.Round(pixelsPerMillimetre * 25.4, 2);

    private static void WriteExifGroups(Utf8JsonWriter json, VipsImage image)
    {
        if (!image.Contains("exif-data"))
        {
            return;
        }

        var fields = image.GetFields();
        foreach (var (prefix, group) in Groups)
        {
            var open = false;
            foreach (var field in fields)
            {
                if (!field.StartsWith(prefix, StringComparison.Ordinal) || image.Get(field) is not string text)
                {
                    continue;
                }

                if (!open)
                {
                    json.WriteStartObject(group);
                    open = true;
                }

                WriteExifValue(json, field[prefix.Length..], text);
            }

            if (open)
            {
                json.WriteEndObject();
            }
        }
    }

    /// <summary>
    /// libvips writes each EXIF entry as "&lt;value&gt; (&lt;readable&gt;, &lt;type&gt;, N components, M bytes)". Numeric
    /// types become JSON numbers (an array when there are several: GPS coordinates, lens specification); everything else
    /// is the readable text, or the value when libexif has no readable form ("Internal error").
    /// </summary>
    internal static void WriteExifValue(Utf8JsonWriter json, string name, string text)
    {
        var match = ExifEntry().Match(text);
        if (!match.Success)
        {
            json.WriteString(name, text);
            return;
        }

        var value = match.Groups["value"].Value;
        var readable = match.Groups["readable"].Value.Trim();
        var type = match.Groups["type"].Value;
        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        var numbers = IsNumeric(type) ? Numbers(value) : null;
        if (numbers is null || numbers.Count != count)
        {
            json.WriteString(name, readable.Length == 0 || readable.StartsWith("Internal error", StringComparison.Ordinal) ? value.Trim() : readable);
        }
        else if (count == 1)
        {
            json.WriteNumber(name, numbers[0]);
        }
        else
        {
            json.WriteStartArray(name);
            foreach (var number in numbers)
            {
                json.WriteNumberValue(number);
            }

            json.WriteEndArray();
        }
    }

    private static bool IsNumeric(string type) =>
        type is "Byte" or "SByte" or "Short" or "SShort" or "Long" or "SLong" or "Rational" or "SRational" or "Float" or "Double";

    /// <summary>Integers and a/b rationals separated by spaces or commas; null when any item is something else.</summary>
    private static List<double>? Numbers(string text)
    {
        var items = text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            return null;
        }

        var numbers = new List<double>(items.Length);
        foreach (var item in items)
        {
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 && double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
            {
                numbers.Add(plain);
            }
            else if (slash > 0
                && double.TryParse(item.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
                && double.TryParse(item.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator))
            {
                // 0/0 is how EXIF writes "unknown"; report 0 rather than NaN (not valid JSON).
                numbers.Add(denominator == 0 ? 0 : Math.Round(numerator / denominator, 6));
            }
            else
            {
                return null;
            }
        }

        return numbers;
    }

    [GeneratedRegex(@"^(?<value>.*?) \((?<readable>.*), (?<type>[A-Za-z]+), (?<count>\d+) components?, \d+ bytes?\)$", RegexOptions.Singleline)]
    private static partial Regex ExifEntry();
}

/// <summary>Reads the description ('desc' tag) of an ICC profile: the name imgix reports as ProfileName.</summary>
internal static class IccProfile
{
    public static string? Description(byte[] icc)
    {
        if (icc.Length < 132)
        {
            return null;
        }

        var tags = ReadUInt32(icc, 128);
        for (var t = 0; t < tags && 132 + ((t + 1) * 12) <= icc.Length; t++)
        {
            var entry = 132 + (t * 12);
            if (Encoding.ASCII.GetString(icc, entry, 4) != "desc")
            {
                continue;
            }

            var offset = (int)ReadUInt32(icc, entry + 4);
            var size = (int)ReadUInt32(icc, entry + 8);
            if (offset < 0 || size < 12 || offset + size > icc.Length)
            {
                return null;
            }

            return Encoding.ASCII.GetString(icc, offset, 4) switch
            {
                // ICC v2 textDescriptionType: an ASCII count (with its NUL), then the text.
                "desc" => Clean(Encoding.ASCII.GetString(icc, offset + 12, (int)Math.Min(ReadUInt32(icc, offset + 8), (uint)(size - 12)))),
                // ICC v4 multiLocalizedUnicodeType: the first record's UTF-16BE text.
                "mluc" when size >= 28 => Clean(Mluc(icc, offset, size)),
                _ => null,
            };
        }

        return null;
    }

    private static string? Mluc(byte[] icc, int offset, int size)
    {
        var length = (int)ReadUInt32(icc, offset + 20);
        var start = (int)ReadUInt32(icc, offset + 24);
        return start + length <= size ? Encoding.BigEndianUnicode.GetString(icc, offset + start, length) : null;
    }

    private static string? Clean(string? text) => text?.TrimEnd('\0').Trim() is { Length: > 0 } t ? t : null;

    private static uint ReadUInt32(byte[] bytes, int at) =>
        (uint)((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
}
