namespace ImageProxy.Transform;

/// <summary>
/// Readers (and canonical writers) for the value shapes of the issue-11 parameters: signed integers, colour pairs,
/// one-or-four radii, <c>border=W,C</c>, image references and gradient lengths. Same contract as
/// <see cref="ParameterReaders"/>: null on success, else a short reason; none throws.
/// </summary>
internal static class SurfaceReaders
{
    /// <summary>An optionally signed whole number within [min, max].</summary>
    public static string? SignedInteger(string text, int min, int max, out int value)
    {
        var negative = text.StartsWith('-');
        var digits = negative || text.StartsWith('+') ? text[1..] : text;
        if (InvariantNumbers.TryReadInteger(digits, out var magnitude))
        {
            value = negative ? -magnitude : magnitude;
            if (value >= min && value <= max)
            {
                return null;
            }
        }

        value = 0;
        return $"expected an integer from {min} to {max}";
    }

    /// <summary>Two colours separated by a comma (duotone, fill-gradient-linear, fill-gradient-radial).</summary>
    public static string? ColorPair(string text, out ColorPair pair)
    {
        pair = default;
        var items = text.Split(',');
        if (items.Length != 2
            || ParameterReaders.Color(items[0], out var first) is not null
            || ParameterReaders.Color(items[1], out var second) is not null)
        {
            return "expected two colours separated by a comma (keywords or hex, alpha first)";
        }

        pair = new ColorPair(first, second);
        return null;
    }

    public static string ColorPairText(ColorPair pair) => $"{pair.First},{pair.Second}";

    /// <summary>One radius for all corners, or four (top-left, top-right, bottom-right, bottom-left), each 0–8192.</summary>
    public static string? Radii(string text, out CornerRadii radii)
    {
        radii = default;
        const string Why = "expected one radius or four comma-separated radii (top-left, top-right, bottom-right, bottom-left), each an integer from 0 to 8192";
        var items = text.Split(',');
        if (items.Length is not (1 or 4))
        {
            return Why;
        }

        var values = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (ParameterReaders.Integer(items[i], 0, ParameterReaders.MaxPixels, out values[i]) is not null)
            {
                return Why;
            }
        }

        radii = items.Length == 1 ? CornerRadii.All(values[0]) : new CornerRadii(values[0], values[1], values[2], values[3]);
        return null;
    }

    public static string RadiiText(CornerRadii radii) => radii.IsUniform
        ? InvariantNumbers.Format(radii.TopLeft)
        : string.Join(',', new long[] { radii.TopLeft, radii.TopRight, radii.BottomRight, radii.BottomLeft }.Select(InvariantNumbers.Format));

    /// <summary><c>border=width,colour</c>: width 0–8192 px on all four sides.</summary>
    public static string? Border(string text, out int width, out Rgba color)
    {
        width = 0;
        color = default;
        var comma = text.IndexOf(',');
        if (comma < 0
            || ParameterReaders.Integer(text[..comma], 0, ParameterReaders.MaxPixels, out width) is not null
            || ParameterReaders.Color(text[(comma + 1)..], out color) is not null)
        {
            return "expected width,colour: an integer from 0 to 8192 and a colour keyword or hex (alpha first), e.g. 10,000";
        }

        return null;
    }

    /// <summary>
    /// An overlay image: an absolute http(s) URL, or a path of an object in the same source (leading '/' optional).
    /// Paths are only shaped here; the origin applies its own rules (folder roots, key prefixes) when fetching.
    /// </summary>
    public static string? ImageReference(string text, out ImageReference? reference)
    {
        reference = null;
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0)
            {
                return "expected an absolute http(s) URL without credentials, or a path in the same source";
            }

            reference = new ImageReference(ImageReferenceKind.Url, text);
            return null;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return "only http and https URLs are allowed";
        }

        var path = text.TrimStart('/');
        if (path.Length == 0 || path.Length > 1024 || path.Any(char.IsControl))
        {
            return "expected a path of an image in the same source, or an absolute http(s) URL";
        }

        reference = new ImageReference(ImageReferenceKind.SourcePath, path);
        return null;
    }

    /// <summary>
    /// A gradient position or radius: a value containing '.' is a fraction 0–1; otherwise whole pixels 0–8192, where 0
    /// and 1 read as the fractions 0 and 1 (imgix's pixel range starts at 2, as for w and h).
    /// </summary>
    public static string? GradientLength(string text, out SizeValue value)
    {
        value = default;
        const string Why = "expected pixels from 2 to 8192 or a fraction from 0 to 1";
        if (text.Contains('.'))
        {
            if (!InvariantNumbers.TryReadDecimal(text, out var fraction) || fraction < 0 || fraction > 1)
            {
                return Why;
            }

            value = SizeValue.Fraction(fraction);
            return null;
        }

        if (ParameterReaders.Integer(text, 0, ParameterReaders.MaxPixels, out var pixels) is not null)
        {
            return Why;
        }

        value = pixels <= 1 ? SizeValue.Fraction(pixels) : SizeValue.Pixels(pixels);
        return null;
    }

    /// <summary><c>fill-gradient-radial-radius</c>: inner,outer.</summary>
    public static string? GradientRadii(string text, out SizeValue inner, out SizeValue outer)
    {
        inner = outer = default;
        var items = text.Split(',');
        if (items.Length != 2 || GradientLength(items[0], out inner) is not null || GradientLength(items[1], out outer) is not null)
        {
            return "expected inner,outer: each pixels from 2 to 8192 or a fraction from 0 to 1";
        }

        return null;
    }

    /// <summary><c>fill-gradient-linear-direction</c>: "from,to" (two opposite sides) or just the side it flows towards.</summary>
    public static string? Direction(string text, out Side from, out Side to)
    {
        from = Side.Top;
        to = Side.Bottom;
        const string Why = "expected the side the gradient flows towards (top, bottom, left, right), or from,to with two opposite sides";
        var items = text.Split(',');
        if (items.Length is not (1 or 2) || !items.All(i => SideOf(i) is not null))
        {
            return Why;
        }

        to = SideOf(items[^1])!.Value;
        from = items.Length == 2 ? SideOf(items[0])!.Value : Opposite(to);
        return Opposite(from) == to ? null : Why;
    }

    public static string DirectionText(Side from, Side to) => $"{SideText(from)},{SideText(to)}";

    private static Side? SideOf(string text) => text switch
    {
        "top" => Side.Top,
        "right" => Side.Right,
        "bottom" => Side.Bottom,
        "left" => Side.Left,
        _ => null,
    };

    private static string SideText(Side side) => side.ToString().ToLowerInvariant();

    private static Side Opposite(Side side) => (Side)(((int)side + 2) % 4);

    /// <summary>Canonical gradient length (fractions keep their decimal point so they read back as fractions).</summary>
    public static string LengthText(SizeValue value) => ParameterReaders.SizeText(value);
}
