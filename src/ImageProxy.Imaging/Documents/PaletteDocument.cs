using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Documents;

/// <summary>
/// palette=json|css: imgix's palette documents. <c>colors</c> are the most frequent colours (median cut on a small copy of
/// the processed picture, most populous box first); <c>dominant_colors</c> are the six named swatches of Vibrant.js
/// (vibrant, muted and their dark/light variants), each the box that best matches the name's saturation and lightness
/// targets, left out when none qualifies; <c>average_luminance</c> is the mean relative luminance (0–1).
/// </summary>
public static class PaletteDocument
{
    /// <summary>A colour with how many pixels it stands for.</summary>
    public readonly record struct Swatch(byte R, byte G, byte B, int Population)
    {
        public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");
    }

    /// <summary>Vibrant.js's targets: (name, target/min/max saturation, target/min/max lightness).</summary>
    private static readonly (string Name, double S, double MinS, double MaxS, double L, double MinL, double MaxL)[] Targets =
    [
        ("vibrant", 1.0, 0.35, 1.0, 0.5, 0.3, 0.7),
        ("muted_light", 0.3, 0.0, 0.4, 0.74, 0.55, 1.0),
        ("muted", 0.3, 0.0, 0.4, 0.5, 0.3, 0.7),
        ("vibrant_dark", 1.0, 0.35, 1.0, 0.26, 0.0, 0.45),
        ("vibrant_light", 1.0, 0.35, 1.0, 0.74, 0.55, 1.0),
        ("muted_dark", 0.3, 0.0, 0.4, 0.26, 0.0, 0.45),
    ];

    /// <summary>Builds the document from RGB pixels (3 bytes each).</summary>
    public static (byte[] Body, string ContentType) Build(ReadOnlySpan<byte> rgb, PaletteSpec spec)
    {
        var pixels = rgb.Length / 3;
        var colors = MedianCut(rgb, spec.Colors);
        // Named swatches are chosen from a finer cut, as Vibrant.js does (it quantises to 64 colours).
        var named = Dominant(MedianCut(rgb, 64));
        var luminance = AverageLuminance(rgb, pixels);
        return spec.Format == PaletteFormat.Css
            ? (Css(colors, named, luminance, spec.Prefix), "text/css; charset=utf-8")
            : (Json(colors, named, luminance), "application/json");
    }

    /// <summary>Median cut: split the box with the widest channel range at its median until there are <paramref name="count"/> boxes.</summary>
    internal static List<Swatch> MedianCut(ReadOnlySpan<byte> rgb, int count)
    {
        var all = new int[rgb.Length / 3];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = (rgb[i * 3] << 16) | (rgb[(i * 3) + 1] << 8) | rgb[(i * 3) + 2];
        }

        var boxes = new List<int[]> { all };
        while (boxes.Count < count)
        {
            // Split where it helps most: the box with the widest range, weighted by how many pixels it holds.
            var (index, channel, score) = (-1, 0, 0L);
            for (var b = 0; b < boxes.Count; b++)
            {
                var (c, range) = WidestChannel(boxes[b]);
                if (boxes[b].Length > 1 && range > 0 && (long)range * boxes[b].Length > score)
                {
                    (index, channel, score) = (b, c, (long)range * boxes[b].Length);
                }
            }

            if (index < 0)
            {
                break; // every box is one colour: the picture has fewer colours than asked
            }

            var box = boxes[index];
            var shift = 16 - (8 * channel);
            Array.Sort(box, (x, y) => ((x >> shift) & 0xff).CompareTo((y >> shift) & 0xff));
            var half = box.Length / 2;
            boxes[index] = box[..half];
            boxes.Add(box[half..]);
        }

        return boxes
            .Where(b => b.Length > 0)
            .Select(Average)
            .OrderByDescending(s => s.Population)
            .ThenBy(s => s.Hex, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    private static (int Channel, int Range) WidestChannel(int[] box)
    {
        var best = (Channel: 0, Range: -1);
        for (var c = 0; c < 3; c++)
        {
            var shift = 16 - (8 * c);
            int min = 255, max = 0;
            foreach (var p in box)
            {
                var v = (p >> shift) & 0xff;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            if (max - min > best.Range)
            {
                best = (c, max - min);
            }
        }

        return best;
    }

    private static Swatch Average(int[] box)
    {
        long r = 0, g = 0, b = 0;
        foreach (var p in box)
        {
            r += (p >> 16) & 0xff;
            g += (p >> 8) & 0xff;
            b += p & 0xff;
        }

        var n = box.Length;
        return new Swatch((byte)((r + (n / 2)) / n), (byte)((g + (n / 2)) / n), (byte)((b + (n / 2)) / n), n);
    }

    /// <summary>For each name, the qualifying swatch with the best score; a swatch is used for one name only.</summary>
    internal static List<(string Name, Swatch Swatch)> Dominant(List<Swatch> swatches)
    {
        var chosen = new List<(string, Swatch)>();
        var used = new HashSet<Swatch>();
        var maxPopulation = swatches.Count == 0 ? 1 : swatches.Max(s => s.Population);
        foreach (var t in Targets)
        {
            Swatch? best = null;
            var bestScore = double.MinValue;
            foreach (var s in swatches)
            {
                var (_, sat, light) = Hsl(s);
                if (used.Contains(s) || sat < t.MinS || sat > t.MaxS || light < t.MinL || light > t.MaxL)
                {
                    continue;
                }

                // Vibrant.js's weights: lightness matters most, then saturation, then how common the colour is.
                var score = ((1 - Math.Abs(sat - t.S)) * 3) + ((1 - Math.Abs(light - t.L)) * 6) + ((double)s.Population / maxPopulation * 1);
                if (score > bestScore)
                {
                    (best, bestScore) = (s, score);
                }
            }

            if (best is { } b)
            {
                used.Add(b);
                chosen.Add((t.Name, b));
            }
        }

        return chosen;
    }

    internal static (double H, double S, double L) Hsl(Swatch s)
    {
        double r = s.R / 255.0, g = s.G / 255.0, b = s.B / 255.0;
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        var l = (max + min) / 2;
        if (max == min)
        {
            return (0, 0, l);
        }

        var d = max - min;
        var sat = l > 0.5 ? d / (2 - max - min) : d / (max + min);
        var h = max == r ? ((g - b) / d) + (g < b ? 6 : 0) : max == g ? ((b - r) / d) + 2 : ((r - g) / d) + 4;
        return (h * 60, sat, l);
    }

    private static double AverageLuminance(ReadOnlySpan<byte> rgb, int pixels)
    {
        double sum = 0;
        for (var i = 0; i < pixels; i++)
        {
            sum += (0.2126 * rgb[i * 3]) + (0.7152 * rgb[(i * 3) + 1]) + (0.0722 * rgb[(i * 3) + 2]);
        }

        return pixels == 0 ? 0 : Math.Round(sum / pixels / 255, 6);
    }

    private static byte[] Json(List<Swatch> colors, List<(string Name, Swatch Swatch)> named, double luminance)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("colors");
            foreach (var c in colors)
            {
                WriteColor(json, c);
            }

            json.WriteEndArray();
            json.WriteNumber("average_luminance", luminance);
            json.WriteStartObject("dominant_colors");
            foreach (var (name, swatch) in named)
            {
                json.WritePropertyName(name);
                WriteColor(json, swatch);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteColor(Utf8JsonWriter json, Swatch c)
    {
        json.WriteStartObject();
        json.WriteNumber("red", Math.Round(c.R / 255.0, 6));
        json.WriteNumber("green", Math.Round(c.G / 255.0, 6));
        json.WriteNumber("blue", Math.Round(c.B / 255.0, 6));
        json.WriteString("hex", c.Hex);
        json.WriteEndObject();
    }

    /// <summary>
    /// imgix's classes: <c>.P-fg-N</c>/<c>.P-bg-N</c> per colour from 1, then the named swatches, then <c>ex-1</c> and
    /// <c>ex-2</c>, white and black: the one nearer the picture's average luminance first (imgix's examples do so).
    /// </summary>
    private static byte[] Css(List<Swatch> colors, List<(string Name, Swatch Swatch)> named, double luminance, string prefix)
    {
        var css = new StringBuilder();
        void Pair(string suffix, string hex)
        {
            css.Append('.').Append(prefix).Append("-fg-").Append(suffix).Append(" { color:").Append(hex).Append(" !important; }\n");
            css.Append('.').Append(prefix).Append("-bg-").Append(suffix).Append(" { background-color:").Append(hex).Append(" !important; }\n");
        }

        for (var i = 0; i < colors.Count; i++)
        {
            Pair((i + 1).ToString(CultureInfo.InvariantCulture), colors[i].Hex);
        }

        foreach (var (name, swatch) in named)
        {
            Pair(name.Replace('_', '-'), swatch.Hex);
        }

        var (first, second) = luminance >= 0.5 ? ("#ffffff", "#000000") : ("#000000", "#ffffff");
        Pair("ex-1", first);
        Pair("ex-2", second);
        return Encoding.UTF8.GetBytes(css.ToString());
    }
}
