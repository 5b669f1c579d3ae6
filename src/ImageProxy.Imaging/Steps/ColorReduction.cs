using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// colorquant=N for any N: libvips' palette savers (libimagequant) choose 2, 4, 16 or 256 colours (the PNG/GIF bit
/// depths) and offer no other limit. So the picture is quantised by the saver at the next depth up, as usual (its
/// palette and dithering), read back, and its palette reduced to N by merging the two closest entries again and again,
/// weighted by how many pixels use them (Ward's criterion); the saver then sees at most N colours and keeps them as they
/// are (dithering off). The second pass only runs when N is not itself a bit depth's size.
/// </summary>
internal static class ColorReduction
{
    /// <summary>Encodes with <paramref name="save"/> (given the picture and a dither setting, null = the saver's default) at most <paramref name="colors"/> colours.</summary>
    public static byte[] Save(VipsImage image, int? colors, Func<VipsImage, double?, byte[]> save)
    {
        var first = save(image, null);
        if (colors is not { } n || (n & (n - 1)) == 0)
        {
            return first;
        }

        using var quantised = VipsImage.NewFromBuffer(first);
        using var reduced = ToAtMost(quantised, n);
        return save(reduced, 0);
    }

    /// <summary>The picture with its distinct pixel values (all bands, alpha included) merged down to at most <paramref name="colors"/>.</summary>
    internal static VipsImage ToAtMost(VipsImage image, int colors)
    {
        var bands = image.Bands;
        var pixels = image.WriteToMemory<byte>();
        var counts = new Dictionary<uint, int>();
        for (var i = 0; i < pixels.Length; i += bands)
        {
            var key = Key(pixels, i, bands);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        if (counts.Count <= colors)
        {
            return image.Copy();
        }

        // Each cluster: the pixel-weighted sum of its values per band, its pixel count, and its original values.
        var clusters = counts.Select(c => new Cluster(Unpack(c.Key, bands).Select(v => (double)v * c.Value).ToArray(), c.Value, [c.Key])).ToList();
        while (clusters.Count > colors)
        {
            var (a, b) = ClosestPair(clusters);
            clusters[a] = clusters[a].Merge(clusters[b]);
            clusters.RemoveAt(b);
        }

        var replacement = new Dictionary<uint, byte[]>();
        foreach (var cluster in clusters)
        {
            var mean = cluster.Sum.Select(s => (byte)Math.Round(s / cluster.Count)).ToArray();
            foreach (var member in cluster.Members)
            {
                replacement[member] = mean;
            }
        }

        for (var i = 0; i < pixels.Length; i += bands)
        {
            replacement[Key(pixels, i, bands)].CopyTo(pixels, i);
        }

        using var raw = VipsImage.NewFromMemory(pixels, image.Width, image.Height, bands, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: image.Interpretation);
    }

    private sealed record Cluster(double[] Sum, int Count, List<uint> Members)
    {
        public double Mean(int band) => Sum[band] / Count;

        public Cluster Merge(Cluster other) =>
            new(Sum.Zip(other.Sum, (x, y) => x + y).ToArray(), Count + other.Count, [.. Members, .. other.Members]);
    }

    /// <summary>The pair whose merge adds the least squared error: n₁n₂/(n₁+n₂) × the squared distance of their means.</summary>
    private static (int A, int B) ClosestPair(List<Cluster> clusters)
    {
        var best = (A: 0, B: 1);
        var bestCost = double.MaxValue;
        for (var i = 0; i < clusters.Count; i++)
        {
            for (var j = i + 1; j < clusters.Count; j++)
            {
                double distance = 0;
                for (var band = 0; band < clusters[i].Sum.Length; band++)
                {
                    var d = clusters[i].Mean(band) - clusters[j].Mean(band);
                    distance += d * d;
                }

                var cost = distance * clusters[i].Count * clusters[j].Count / (clusters[i].Count + clusters[j].Count);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = (i, j);
                }
            }
        }

        return best;
    }

    private static uint Key(byte[] pixels, int offset, int bands)
    {
        uint key = 0;
        for (var band = 0; band < bands; band++)
        {
            key = (key << 8) | pixels[offset + band];
        }

        return key;
    }

    private static byte[] Unpack(uint key, int bands)
    {
        var values = new byte[bands];
        for (var band = bands - 1; band >= 0; band--)
        {
            values[band] = (byte)(key & 0xff);
            key >>= 8;
        }

        return values;
    }
}
