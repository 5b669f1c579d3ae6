namespace ImageProxy.Transform;

/// <summary>
/// Invariant-culture readers for parameter values. Each returns null on success, or a short reason
/// (used in "Invalid value for parameter 'x': reason"); none throws.
/// </summary>
internal static class ParameterReaders
{
    /// <summary>Largest pixel value imgix accepts for w, h, pad and the min/max bounds.</summary>
    public const int MaxPixels = 8192;

    public static string? Integer(string text, int min, int max, out int value)
    {
        if (InvariantNumbers.TryReadInteger(text, out value) && value >= min && value <= max)
        {
            return null;
        }

        return $"expected an integer from {min} to {max}";
    }

    public static string? Number(string text, double min, double max, out double value, bool minExclusive = false)
    {
        if (InvariantNumbers.TryReadDecimal(text, out value)
            && (minExclusive ? value > min : value >= min) && value <= max)
        {
            return null;
        }

        var lower = minExclusive ? $"greater than {InvariantNumbers.Format(min)}" : $"from {InvariantNumbers.Format(min)}";
        return minExclusive
            ? $"expected a number {lower} and at most {InvariantNumbers.Format(max)}"
            : $"expected a number {lower} to {InvariantNumbers.Format(max)}";
    }

    public static string? Boolean(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "1":
                value = true;
                return null;
            case "false" or "0":
                value = false;
                return null;
            default:
                value = false;
                return "expected true, false, 1 or 0";
        }
    }

    /// <summary>
    /// w/h: a value containing '.' is a fraction 0&lt;f≤1 of the source side; otherwise an integer.
    /// The integer 1 also means the fraction 1.0 (imgix's integer range starts at 2, so <c>w=1</c> can only mean "full width").
    /// </summary>
    public static string? Size(string text, out SizeValue value)
    {
        value = default;
        const string Why = "expected an integer from 1 to 8192 or a fraction greater than 0 and at most 1";
        if (text.Contains('.'))
        {
            if (!InvariantNumbers.TryReadDecimal(text, out var fraction) || fraction <= 0 || fraction > 1)
            {
                return Why;
            }

            value = SizeValue.Fraction(fraction);
            return null;
        }

        if (!InvariantNumbers.TryReadInteger(text, out var pixels) || pixels < 1 || pixels > MaxPixels)
        {
            return Why;
        }

        value = pixels == 1 ? SizeValue.Fraction(1) : SizeValue.Pixels(pixels);
        return null;
    }

    /// <summary><c>W:H</c> with both parts positive numbers → W/H.</summary>
    public static string? Ratio(string text, out double ratio)
    {
        ratio = 0;
        const string Why = "expected W:H with two positive numbers, e.g. 16:9";
        var colon = text.IndexOf(':');
        if (colon < 0
            || !InvariantNumbers.TryReadDecimal(text[..colon], out var width)
            || !InvariantNumbers.TryReadDecimal(text[(colon + 1)..], out var height)
            || width <= 0 || height <= 0)
        {
            return Why;
        }

        ratio = width / height;
        return double.IsFinite(ratio) && ratio > 0 ? null : Why;
    }

    /// <summary>Hex RGB, ARGB, RRGGBB or AARRGGBB (alpha first, optional '#'), or a CSS keyword.</summary>
    public static string? Color(string text, out Rgba color)
    {
        color = default;
        const string Why = "expected a colour keyword or 3, 4, 6 or 8 hex digits (alpha first)";
        if (NamedColors.TryGet(text, out color))
        {
            return null;
        }

        var hex = text.StartsWith('#') ? text[1..] : text;
        if (hex.Length is not (3 or 4 or 6 or 8) || !hex.All(QueryText.IsHex))
        {
            return Why;
        }

        if (hex.Length <= 4)
        {
            // Short forms double each digit, as in CSS: "f80" = "ff8800".
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        }

        var argb = Convert.ToUInt32(hex, 16);
        var alpha = hex.Length == 8 ? (byte)(argb >> 24) : (byte)255;
        color = new Rgba((byte)(argb >> 16), (byte)(argb >> 8), (byte)argb, alpha);
        return null;
    }

    /// <summary><c>rect=x,y,w,h</c> (docs/web.md, imgix: Sizing). Items containing '.' are fractions; others pixels or keywords.</summary>
    public static string? Rect(string text, out RectSpec? rect)
    {
        rect = null;
        var items = text.Split(',');
        if (items.Length != 4)
        {
            return "expected four comma-separated items x,y,w,h";
        }

        var x = RectPosition(items[0], "left", "center", "right");
        var y = RectPosition(items[1], "top", "middle", "bottom");
        var w = RectExtent(items[2]);
        var h = RectExtent(items[3]);
        if (x is null) return "x must be pixels, a fraction 0–1, left, center or right";
        if (y is null) return "y must be pixels, a fraction 0–1, top, middle or bottom";
        if (w is null) return "w must be pixels ≥ 1, a fraction greater than 0 and at most 1, or full";
        if (h is null) return "h must be pixels ≥ 1, a fraction greater than 0 and at most 1, or full";
        rect = new RectSpec(x.Value, y.Value, w.Value, h.Value);
        return null;
    }

    private static RectValue? RectPosition(string item, string start, string center, string end)
    {
        if (item == start) return new RectValue(0, RectUnit.Start);
        if (item == center) return new RectValue(0, RectUnit.Center);
        if (item == end) return new RectValue(0, RectUnit.End);
        if (item.Contains('.'))
        {
            return InvariantNumbers.TryReadDecimal(item, out var f) && f is >= 0 and <= 1 ? new RectValue(f, RectUnit.Fraction) : null;
        }

        return InvariantNumbers.TryReadInteger(item, out var px) ? new RectValue(px, RectUnit.Pixels) : null;
    }

    private static RectValue? RectExtent(string item)
    {
        if (item == "full") return new RectValue(0, RectUnit.Full);
        if (item.Contains('.'))
        {
            return InvariantNumbers.TryReadDecimal(item, out var f) && f > 0 && f <= 1 ? new RectValue(f, RectUnit.Fraction) : null;
        }

        return InvariantNumbers.TryReadInteger(item, out var px) && px >= 1 ? new RectValue(px, RectUnit.Pixels) : null;
    }

    /// <summary>
    /// <c>crop</c> list. Anchors set the position (a later anchor on the same axis wins); the first of
    /// entropy/edges/focalpoint sets the strategy. <c>faces</c> centres on detected faces; the other listed
    /// values are its documented fallback (centre when there are none).
    /// </summary>
    public static string? Crop(string text, out CropSpec crop)
    {
        crop = CropSpec.Center;
        int horizontal = 0, vertical = 0;
        CropStrategy? strategy = null;
        var faces = false;
        foreach (var item in text.Split(','))
        {
            switch (item)
            {
                case "top": vertical = -1; break;
                case "bottom": vertical = 1; break;
                case "left": horizontal = -1; break;
                case "right": horizontal = 1; break;
                case "center" or "middle": break;
                case "faces": faces = true; break;
                case "entropy": strategy ??= CropStrategy.Entropy; break;
                case "edges": strategy ??= CropStrategy.Edges; break;
                case "focalpoint": strategy ??= CropStrategy.FocalPoint; break;
                default:
                    return "expected a comma list of top, bottom, left, right, faces, entropy, edges, focalpoint";
            }
        }

        crop = new CropSpec(horizontal, vertical, strategy ?? CropStrategy.Position) { Faces = faces };
        return null;
    }

    /// <summary>Canonical text of a crop spec, or null for the default centre crop.</summary>
    public static string? CropText(CropSpec crop)
    {
        if (crop == CropSpec.Center)
        {
            return null;
        }

        var items = new List<string>(4);
        if (crop.Faces) items.Add("faces");
        if (crop.Vertical < 0) items.Add("top");
        if (crop.Vertical > 0) items.Add("bottom");
        if (crop.Horizontal < 0) items.Add("left");
        if (crop.Horizontal > 0) items.Add("right");
        switch (crop.Strategy)
        {
            case CropStrategy.Entropy: items.Add("entropy"); break;
            case CropStrategy.Edges: items.Add("edges"); break;
            case CropStrategy.FocalPoint: items.Add("focalpoint"); break;
        }

        return items.Count == 0 ? null : string.Join(',', items);
    }

    /// <summary>Canonical text of a rect.</summary>
    public static string RectText(RectSpec rect) => string.Join(',',
        RectItem(rect.X, "left", "center", "right"),
        RectItem(rect.Y, "top", "middle", "bottom"),
        RectItem(rect.Width, "", "", ""),
        RectItem(rect.Height, "", "", ""));

    private static string RectItem(RectValue item, string start, string center, string end) => item.Unit switch
    {
        RectUnit.Start => start,
        RectUnit.Center => center,
        RectUnit.End => end,
        RectUnit.Full => "full",
        RectUnit.Fraction => InvariantNumbers.FormatFraction(item.Value),
        _ => InvariantNumbers.Format((long)item.Value),
    };

    /// <summary>Canonical text of a w/h value.</summary>
    public static string SizeText(SizeValue size) => size.Unit == SizeUnit.Fraction
        ? InvariantNumbers.FormatFraction(size.Value)
        : InvariantNumbers.Format((long)size.Value);
}
