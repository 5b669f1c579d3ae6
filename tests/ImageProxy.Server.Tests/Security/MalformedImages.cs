using System.Buffers.Binary;
using System.Text;

namespace ImageProxy.Server.Tests.Security;

/// <summary>
/// Builds the hostile-input corpus in code (nothing binary is committed): decompression-bomb headers, truncations,
/// bit flips, random bytes, frame floods, XML bombs and polyglots. Valid seeds are passed in (made by the proxy itself).
/// </summary>
public static class MalformedImages
{
    /// <summary>A PNG whose header claims <paramref name="width"/>×<paramref name="height"/> but carries a few rows of data.</summary>
    public static byte[] PngBomb(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A real JPEG with its SOF frame size rewritten to 65000×65000 (the entropy data stays tiny).</summary>
    public static byte[] JpegBomb(byte[] jpeg)
    {
        var bytes = (byte[])jpeg.Clone();
        for (var i = 2; i + 9 < bytes.Length;)
        {
            var marker = bytes[i + 1];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 5), 65000);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i + 7), 65000);
                return bytes;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i + 2));
        }

        throw new ArgumentException("no SOF marker");
    }

    /// <summary>A real lossy WebP with the VP8 frame size rewritten to 16383×16383 (268 MP).</summary>
    public static byte[] WebPBomb(byte[] webp)
    {
        var bytes = (byte[])webp.Clone();
        var at = IndexOf(bytes, [0x9D, 0x01, 0x2A]);
        if (at < 0)
        {
            throw new ArgumentException("no VP8 key frame start code");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 3), 0x3FFF);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 5), 0x3FFF);
        return bytes;
    }

    /// <summary>A GIF whose screen and only frame claim 65535×65535 (4.3 GP) with a few bytes of LZW data.</summary>
    public static byte[] GifBomb() => Gif(65535, 65535, frames: 1);

    /// <summary>A GIF of <paramref name="frames"/> frames, each claiming the whole screen (a frame flood is cheap to send, costly to decode).</summary>
    public static byte[] Gif(int width, int height, int frames)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        Span<byte> screen = stackalloc byte[7];
        BinaryPrimitives.WriteUInt16LittleEndian(screen, (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(screen[2..], (ushort)height);
        screen[4] = 0x80; // global colour table of 2 entries
        gif.Write(screen);
        gif.Write([0, 0, 0, 255, 255, 255]);
        gif.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);
        for (var i = 0; i < frames; i++)
        {
            gif.Write([0x21, 0xF9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]); // 10 ms per frame
            gif.Write([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]); // at 0,0
            gif.Write([0x02, 0x02, 0x44, 0x01, 0x00]);                     // LZW: clear, index 0, end
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    public static byte[] NestedSvg(int depth)
    {
        var text = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">");
        text.Insert(text.Length, "<g>", depth);
        text.Append("<rect width=\"10\" height=\"10\"/>");
        text.Insert(text.Length, "</g>", depth);
        text.Append("</svg>");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] BillionLaughsSvg()
    {
        var text = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY lol \"lol\">\n");
        text.Append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (var i = 2; i <= 9; i++)
        {
            text.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n");
        }

        text.Append("]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"><text x=\"0\" y=\"20\">&lol9;</text></svg>");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static byte[] Truncate(byte[] bytes, double fraction) => bytes[..(int)(bytes.Length * fraction)];

    /// <summary>Flips one bit in every ~<paramref name="every"/> bytes after the first 64 (headers mostly intact, data damaged).</summary>
    public static byte[] BitFlip(byte[] bytes, int seed, int every = 50)
    {
        var copy = (byte[])bytes.Clone();
        var random = new Random(seed);
        for (var i = Math.Min(64, copy.Length / 4); i < copy.Length; i += 1 + random.Next(every))
        {
            copy[i] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        stream.Write(buffer);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeBytes.Concat(data))
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(buffer, ~crc);
        stream.Write(buffer);
    }
}
