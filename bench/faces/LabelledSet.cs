namespace ImageProxy.FaceEvaluation;

/// <summary>A face box drawn by hand or found by a detector, in source pixels.</summary>
public readonly record struct Box(double X, double Y, double Width, double Height, double Score = 1)
{
    public double Overlap(Box o)
    {
        var w = Math.Min(X + Width, o.X + o.Width) - Math.Max(X, o.X);
        var h = Math.Min(Y + Height, o.Y + o.Height) - Math.Max(Y, o.Y);
        return w <= 0 || h <= 0 ? 0 : w * h / (Width * Height + o.Width * o.Height - w * h);
    }
}

/// <summary>tests/faces: the images and the boxes in labels.tsv (shared by bench/faces and the Imaging tests).</summary>
public sealed record LabelledImage(string File, IReadOnlyList<Box> Faces)
{
    public static IReadOnlyList<LabelledImage> Read(string directory) =>
        System.IO.File.ReadAllLines(Path.Combine(directory, "labels.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("file\t", StringComparison.Ordinal))
            .Select(line => line.Split('\t'))
            .Select(cells => new LabelledImage(
                Path.Combine(directory, cells[0]),
                cells[1] == "-" ? [] : cells[1].Split(';').Select(ParseBox).ToList()))
            .ToList();

    private static Box ParseBox(string text)
    {
        var n = text.Split(',').Select(double.Parse).ToArray();
        return new Box(n[0], n[1], n[2], n[3]);
    }
}

/// <summary>True/false positives and misses at IoU ≥ 0.5, each detection matched at most once, best score first.</summary>
public sealed class DetectionScore
{
    public const double MatchOverlap = 0.5;

    public int TruePositives { get; private set; }
    public int FalsePositives { get; private set; }
    public int Misses { get; private set; }

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : TruePositives / (double)(TruePositives + FalsePositives);
    public double Recall => TruePositives + Misses == 0 ? 1 : TruePositives / (double)(TruePositives + Misses);

    public void Add(IReadOnlyList<Box> labelled, IEnumerable<Box> detected)
    {
        var unmatched = labelled.ToList();
        foreach (var d in detected.OrderByDescending(d => d.Score))
        {
            var best = unmatched.Select(l => (Label: l, Overlap: l.Overlap(d))).OrderByDescending(m => m.Overlap).FirstOrDefault();
            if (best.Overlap >= MatchOverlap)
            {
                unmatched.Remove(best.Label);
                TruePositives++;
            }
            else
            {
                FalsePositives++;
            }
        }

        Misses += unmatched.Count;
    }
}
