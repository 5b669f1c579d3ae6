namespace ImageProxy.Transform;

/// <summary>
/// What <c>fm</c> asks for when the answer is a document about the image rather than an image (imgix's fm=json and
/// fm=blurhash); <see cref="None"/> for every image output.
/// </summary>
public enum DocumentOutput { None, Json, BlurHash }

/// <summary><c>palette</c>: the palette document's format, or none.</summary>
public enum PaletteFormat { None, Json, Css }

/// <summary><c>palette</c>, <c>colors</c>, <c>prefix</c> (imgix's colour palette extraction).</summary>
public sealed record PaletteSpec(PaletteFormat Format, int Colors, string Prefix)
{
    /// <summary>imgix's defaults: six colours, CSS classes named <c>image-…</c>.</summary>
    public const int DefaultColors = 6;

    public const string DefaultPrefix = "image";

    public static readonly PaletteSpec None = new(PaletteFormat.None, DefaultColors, DefaultPrefix);
}

/// <summary>
/// <c>max-bytes</c> and <c>min-q</c> (beyond imgix): the encoder lowers quality, never below <see cref="MinQuality"/>,
/// until the body fits <see cref="MaxBytes"/>, and only then shrinks the picture.
/// </summary>
public sealed record ByteBudget(long? MaxBytes, int MinQuality)
{
    public const int DefaultMinQuality = 30;

    public static readonly ByteBudget None = new(null, DefaultMinQuality);
}

/// <summary>
/// <c>frame</c>, <c>interval</c>, <c>skip</c>, <c>reverse</c>, <c>loop</c>, <c>fps</c>: which frames of an animation are
/// kept and how they play. Frames are numbered from 1, as at imgix.
/// </summary>
public sealed record AnimationSpec(int? FirstFrame, int? LastFrame, int? Interval, int? Skip, bool Reverse, int? Loop, int? Fps)
{
    public static readonly AnimationSpec None = new(null, null, null, null, false, null, null);

    /// <summary>
    /// The 0-based source frames kept, in play order: the <c>frame</c> range, then every <c>interval</c>-th of those
    /// (starting with the first), then every <c>skip</c>-th dropped (starting with the first), then <c>reverse</c>.
    /// </summary>
    public IReadOnlyList<int> Select(int frames)
    {
        var first = Math.Max(1, FirstFrame ?? 1);
        var last = Math.Min(frames, LastFrame ?? frames);
        var kept = new List<int>();
        for (int n = first, position = 0; n <= last; n++, position++)
        {
            if (Interval is { } every && position % every != 0)
            {
                continue;
            }

            kept.Add(n - 1);
        }

        if (Skip is { } skip)
        {
            kept = kept.Where((_, position) => position % skip != 0).ToList();
        }

        if (Reverse)
        {
            kept.Reverse();
        }

        return kept;
    }
}
