namespace ImageProxy.Transform;

/// <summary>The <c>txt</c> rows (issue 12): text drawn with libvips text (pango) over the finished picture.</summary>
public static partial class Parameters
{
    /// <summary>Longest accepted text: a caption, not a document (pango lays out every character).</summary>
    public const int MaxTextLength = 1024;

    // --- text (after the animation parameters) ---
    private static IEnumerable<ParameterDefinition> TextParameters() =>
    [
        Def("txt", ["t"], $"text, at most {MaxTextLength} characters (drawn as plain text: markup is escaped)",
            (p, n, v, l) => v.Length > MaxTextLength ? Bad(n, $"longer than {MaxTextLength} characters")
                // Control characters cannot be laid out, and pango's markup parser refuses them: say so here, not as a 422.
                : v.Any(c => char.IsControl(c) && c is not ('\n' or '\t')) ? Bad(n, "control characters other than newline and tab are not allowed")
                : p with { Text = p.Text with { Text = v.Length == 0 ? null : v } },
            p => p.Text.Text is { } t ? QueryText.Encode(t) : null),
        Def("txt-font", ["tf", "txtfont"], "family[,bold][,italic]: DejaVu Sans (default), DejaVu Serif, DejaVu Sans Mono, Liberation Sans/Serif/Mono, sans-serif, serif, monospace; other names use the default family",
            (p, n, v, l) => Font(p, v) is { IsOk: true } font && p.Text.Text is null ? p : Font(p, v),
            p => p.Text.Text is null ? null : FontText(p.Text)),
        Def("txt-size", ["tsz", "txtsize"], "integer 1–512: pixels (default 12)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, 512, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Size = i }),
            p => p.Text.Text is not null && p.Text.Size != TextSpec.None.Size ? InvariantNumbers.Format(p.Text.Size) : null),
        Def("txt-color", ["txtcolor", "txt-clr", "txtclr", "tc"], "colour keyword or hex (alpha first; default black)",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : WithText(p, t => t with { Color = c }),
            p => p.Text.Text is not null && p.Text.Color != TextSpec.None.Color ? p.Text.Color.ToString() : null),
        Def("txt-align", ["txtalign", "ta"], "comma list of one of top, middle, bottom and one of left, center, right (default bottom,right)",
            (p, n, v, l) => Align(v, p.Text.Horizontal, p.Text.Vertical, out var h, out var vert) is { } why ? Bad(n, why) : WithText(p, t => t with { Horizontal = h, Vertical = vert }),
            p => p.Text.Text is null || (p.Text.Horizontal == TextSpec.None.Horizontal && p.Text.Vertical == TextSpec.None.Vertical)
                ? null
                : $"{p.Text.Vertical.ToString().ToLowerInvariant()},{p.Text.Horizontal.ToString().ToLowerInvariant()}"),
        Def("txt-pad", ["txtpad", "tp"], "integer 0–8192: pixels between the text and the edges (default 10)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Pad = i }),
            p => p.Text.Text is not null && p.Text.Pad != TextSpec.None.Pad ? InvariantNumbers.Format(p.Text.Pad) : null),
        Def("txt-width", ["txtwidth"], "integer 1–8192: wrap the text at this width (default the picture's width minus txt-pad)",
            (p, n, v, l) => ParameterReaders.Integer(v, 1, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Width = i }),
            p => p.Text.Text is not null ? Int(p.Text.Width) : null),
        Def("txt-fit", ["txtfit"], "max: a caption taller than the picture (less txt-pad) is set smaller until it fits",
            (p, n, v, l) => v == "max" ? WithText(p, t => t with { FitMax = true }) : Bad(n, "expected max"),
            p => p.Text.Text is not null && p.Text.FitMax ? "max" : null),
        Def("txt-clip", ["txtclip", "tcl"], "comma list of one of start, middle, end (default end) and ellipsis: where a caption that does not fit loses characters, ellipsis marks the cut with …",
            (p, n, v, l) => Clip(v, out var clip, out var ellipsis) is { } why ? Bad(n, why) : WithText(p, t => t with { Clip = clip, Ellipsis = ellipsis }),
            p => p.Text.Text is null || (p.Text.Clip == TextClip.End && !p.Text.Ellipsis)
                ? null
                : p.Text.Clip.ToString().ToLowerInvariant() + (p.Text.Ellipsis ? ",ellipsis" : string.Empty)),
        Def("txt-line", ["txtline", "tl"], $"integer 0–{TextSpec.MaxLine}: outline width in pixels (default 0, none)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, TextSpec.MaxLine, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Line = i }),
            p => p.Text.Text is not null && p.Text.Line != 0 ? InvariantNumbers.Format(p.Text.Line) : null),
        Def("txt-line-color", ["txtlinecolor", "txt-line-clr", "txtlineclr"], "colour keyword or hex (alpha first; default fff) of the txt-line outline",
            (p, n, v, l) => ParameterReaders.Color(v, out var c) is { } why ? Bad(n, why) : WithText(p, t => t with { LineColor = c }),
            p => p.Text.Text is not null && p.Text.LineColor != TextSpec.None.LineColor ? p.Text.LineColor.ToString() : null),
        Def("txt-shad", ["txtshad", "tsh"], "number 0–10: drop shadow below-right of the text (default 0, none)",
            (p, n, v, l) => ParameterReaders.Number(v, 0, 10, out var d) is { } why ? Bad(n, why) : WithText(p, t => t with { Shadow = d }),
            p => p.Text.Text is not null ? Num(p.Text.Shadow, 0) : null),
        Def("txt-x", ["txtx"], "integer −8192–8192: left edge of the text in pixels (overrides txt-align's left/center/right)",
            (p, n, v, l) => SignedInteger(v, -ParameterReaders.MaxPixels, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { X = i }),
            p => p.Text.Text is not null ? Int(p.Text.X) : null),
        Def("txt-y", ["txty"], "integer −8192–8192: top edge of the text in pixels (overrides txt-align's top/middle/bottom)",
            (p, n, v, l) => SignedInteger(v, -ParameterReaders.MaxPixels, ParameterReaders.MaxPixels, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Y = i }),
            p => p.Text.Text is not null ? Int(p.Text.Y) : null),
        Def("txt-lead", ["txtlead"], "integer 0–512: extra pixels between lines (default 0; imgix: /~text only, here also on captions)",
            (p, n, v, l) => ParameterReaders.Integer(v, 0, 512, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Lead = i }),
            p => p.Text.Text is not null && p.Text.Lead != 0 ? InvariantNumbers.Format(p.Text.Lead) : null),
        Def("txt-track", ["txttrack", "tt"], "integer −32–256: extra pixels between letters (default 0; imgix: /~text only, here also on captions)",
            (p, n, v, l) => SignedInteger(v, -32, 256, out var i) is { } why ? Bad(n, why) : WithText(p, t => t with { Track = i }),
            p => p.Text.Text is not null && p.Text.Track != 0 ? InvariantNumbers.Format(p.Text.Track) : null),
    ];

    /// <summary>An integer with an optional leading '-' (the shared reader takes digits only).</summary>
    private static string? SignedInteger(string text, int min, int max, out int value)
    {
        var negative = text.StartsWith('-');
        var why = ParameterReaders.Integer(negative ? text[1..] : text, 0, Math.Max(-min, max), out value);
        value = negative ? -value : value;
        return why is null && value >= min && value <= max ? null : $"expected an integer from {min} to {max}";
    }

    private static string? Clip(string value, out TextClip clip, out bool ellipsis)
    {
        (clip, ellipsis) = (TextClip.End, false);
        foreach (var item in value.Split(','))
        {
            switch (item)
            {
                case "start": clip = TextClip.Start; break;
                case "middle": clip = TextClip.Middle; break;
                case "end": clip = TextClip.End; break;
                case "ellipsis": ellipsis = true; break;
                default: return "expected a comma list of start, middle, end, ellipsis";
            }
        }

        return null;
    }

    /// <summary>txt-* are validated always but kept only with a txt (applied first), so they never split the cache alone.</summary>
    private static TransformPlan WithText(TransformPlan plan, Func<TextSpec, TextSpec> set) =>
        plan.Text.Text is null ? plan : plan with { Text = set(plan.Text) };

    private static Result<TransformPlan> Font(TransformPlan plan, string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0 || items.Any(i => i.Length > 64))
        {
            return Bad("txt-font", "expected family[,bold][,italic]");
        }

        bool bold = false, italic = false;
        string? family = null;
        foreach (var item in items)
        {
            if (item.Equals("bold", StringComparison.OrdinalIgnoreCase)) { bold = true; }
            else if (item.Equals("italic", StringComparison.OrdinalIgnoreCase)) { italic = true; }
            else
            {
                // imgix's names are macOS PostScript names (AvenirNext-DemiBold…): what they say of weight and slant is
                // kept, an unknown family falls back to the default rather than failing a migrated URL.
                family ??= TextSpec.Families.GetValueOrDefault(item) ?? TextSpec.None.Family;
                bold |= item.Contains("Bold", StringComparison.OrdinalIgnoreCase);
                italic |= item.Contains("Italic", StringComparison.OrdinalIgnoreCase) || item.Contains("Oblique", StringComparison.OrdinalIgnoreCase);
            }
        }

        return plan with { Text = plan.Text with { Family = family ?? TextSpec.None.Family, Bold = bold, Italic = italic } };
    }

    private static string? FontText(TextSpec text)
    {
        if (text.Family == TextSpec.None.Family && !text.Bold && !text.Italic)
        {
            return null;
        }

        var parts = new List<string> { text.Family };
        if (text.Bold) parts.Add("bold");
        if (text.Italic) parts.Add("italic");
        return QueryText.Encode(string.Join(',', parts));
    }

    private static string? Align(string value, HorizontalAnchor h0, VerticalAnchor v0, out HorizontalAnchor h, out VerticalAnchor v)
    {
        (h, v) = (h0, v0);
        foreach (var item in value.Split(','))
        {
            switch (item)
            {
                case "left": h = HorizontalAnchor.Left; break;
                case "center": h = HorizontalAnchor.Center; break;
                case "right": h = HorizontalAnchor.Right; break;
                case "top": v = VerticalAnchor.Top; break;
                case "middle": v = VerticalAnchor.Middle; break;
                case "bottom": v = VerticalAnchor.Bottom; break;
                default: return "expected a comma list of top, middle, bottom, left, center, right";
            }
        }

        return null;
    }
}
