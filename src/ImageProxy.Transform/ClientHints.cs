using System.Globalization;

namespace ImageProxy.Transform;

/// <summary>The client hints a URL opts into with imgix's <c>ch</c> parameter.</summary>
[Flags]
public enum ClientHint
{
    None = 0,
    Width = 1,
    Dpr = 2,
    SaveData = 4,
}

/// <summary>
/// What the hints did to a request: the adjusted plan, the request headers the result depends on (for <c>Vary</c>),
/// the density to announce in <c>Content-DPR</c>, and the hints the URL asked for (for <c>Accept-CH</c>).
/// </summary>
public sealed record ClientHintOutcome(TransformPlan Plan, ClientHint Requested, IReadOnlyList<string> VaryHeaders, double? ContentDpr)
{
    /// <summary>Hint header names to list in <c>Accept-CH</c>: the standard and the legacy name of each requested hint.</summary>
    public IReadOnlyList<string> AcceptHeaders => ClientHints.HeaderNames(Requested);
}

/// <summary>
/// imgix <c>ch=Width,DPR,Save-Data</c> (docs/web.md, Client hints), applied after the plan is built so the parameter table
/// and plan builder stay as they are. Pure: the caller hands in a header lookup.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>Width</c> (<c>Sec-CH-Width</c>, else legacy <c>Width</c>; device pixels) replaces <c>w</c> and <c>dpr</c>:
/// the output width is the hint snapped UP to the next width bucket, so a CDN sees at most one variant per bucket and
/// the image is never narrower than the slot. A pixel <c>h</c> given with a pixel <c>w</c> is scaled with it, so the
/// aspect ratio the URL asked for is kept. Geometry then applies the fit as usual (fit=max never upscales).</item>
/// <item><c>DPR</c> (<c>Sec-CH-DPR</c>, else <c>DPR</c>) replaces <c>dpr</c> when no Width hint applied; it is rounded
/// up to a quarter (2.625 → 2.75) and capped at MaxDpr, again to bound the variants.</item>
/// <item><c>Save-Data: on</c> lowers the quality to 45 (imgix's figure; the <c>auto=compress</c> default), or keeps a
/// lower <c>q</c>.</item>
/// </list>
/// A hint header that is absent or malformed leaves the URL's values alone. <c>ch</c> is read from the URL only; imgix
/// does not allow it as a source default.
/// </remarks>
public static class ClientHints
{
    public const string ParameterName = "ch";
    public const string SecChWidth = "Sec-CH-Width";
    public const string LegacyWidth = "Width";
    public const string SecChDpr = "Sec-CH-DPR";
    public const string LegacyDpr = "DPR";
    public const string SaveDataHeader = "Save-Data";

    /// <summary>The quality Save-Data asks for (imgix's, also the auto=compress default).</summary>
    public const int SaveDataQuality = 45;

    /// <summary>Which hints the URL's <c>ch</c> asks for (the last <c>ch</c> wins; names are case-insensitive; unknown names are ignored).</summary>
    public static ClientHint Requested(ParsedRequest request)
    {
        var value = request.Parameters.LastOrDefault(p => p.Key == ParameterName).Value;
        if (string.IsNullOrEmpty(value))
        {
            return ClientHint.None;
        }

        var hints = ClientHint.None;
        foreach (var name in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            hints |= name.ToLowerInvariant() switch
            {
                "width" => ClientHint.Width,
                "dpr" => ClientHint.Dpr,
                "save-data" => ClientHint.SaveData,
                _ => ClientHint.None,
            };
        }

        return hints;
    }

    /// <summary>Applies the requested hints found in the request headers (see the class remarks).</summary>
    /// <param name="header">The request header's value by name, or null when absent.</param>
    /// <param name="widthBuckets">Ascending output widths a Width hint is snapped up to.</param>
    public static ClientHintOutcome Apply(
        TransformPlan plan, ClientHint requested, Func<string, string?> header, IReadOnlyList<int> widthBuckets, Limits limits)
    {
        var vary = new List<string>();
        double? contentDpr = null;
        var widthApplied = false;

        if (requested.HasFlag(ClientHint.Width))
        {
            var width = ReadHint(header, SecChWidth, LegacyWidth, vary);
            if (width is { } hinted && hinted >= 1 && hinted <= int.MaxValue)
            {
                plan = WithWidth(plan, SnapUp((int)Math.Ceiling(hinted), widthBuckets));
                widthApplied = true;
            }
        }

        if (requested.HasFlag(ClientHint.Dpr) && !widthApplied)
        {
            var dpr = ReadHint(header, SecChDpr, LegacyDpr, vary);
            if (dpr is { } hinted && hinted > 0)
            {
                var snapped = Math.Min(Math.Ceiling(hinted * 4) / 4, limits.MaxDpr);
                plan = plan with { Dpr = snapped };
                contentDpr = snapped;
            }
        }

        if (requested.HasFlag(ClientHint.SaveData))
        {
            vary.Add(SaveDataHeader);
            if (string.Equals(header(SaveDataHeader)?.Trim(), "on", StringComparison.OrdinalIgnoreCase))
            {
                var quality = plan.Quality ?? (plan.AutoCompress ? FormatChoice.CompressQuality : FormatChoice.DefaultQuality);
                plan = plan with { Quality = Math.Min(quality, SaveDataQuality) };
            }
        }

        return new ClientHintOutcome(plan, requested, vary, contentDpr);
    }

    /// <summary>The smallest bucket at or above <paramref name="width"/>; the largest bucket when the width is above them all.</summary>
    public static int SnapUp(int width, IReadOnlyList<int> buckets)
    {
        if (buckets.Count == 0)
        {
            return width;
        }

        foreach (var bucket in buckets)
        {
            if (bucket >= width)
            {
                return bucket;
            }
        }

        return buckets[^1];
    }

    /// <summary>Standard and legacy header names of the given hints, in a fixed order.</summary>
    public static IReadOnlyList<string> HeaderNames(ClientHint hints)
    {
        var names = new List<string>();
        if (hints.HasFlag(ClientHint.Width))
        {
            names.Add(SecChWidth);
            names.Add(LegacyWidth);
        }

        if (hints.HasFlag(ClientHint.Dpr))
        {
            names.Add(SecChDpr);
            names.Add(LegacyDpr);
        }

        if (hints.HasFlag(ClientHint.SaveData))
        {
            names.Add(SaveDataHeader);
        }

        return names;
    }

    /// <summary>
    /// The standard header, else the legacy one. Records what was consulted for Vary: the legacy name only matters when
    /// the standard one is absent, and then a later request that carries it would get a different answer.
    /// </summary>
    private static double? ReadHint(Func<string, string?> header, string standard, string legacy, List<string> vary)
    {
        vary.Add(standard);
        var text = header(standard);
        if (string.IsNullOrWhiteSpace(text))
        {
            vary.Add(legacy);
            text = header(legacy);
        }

        return double.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) ? value : null;
    }

    private static TransformPlan WithWidth(TransformPlan plan, int width)
    {
        var height = plan.Height;
        if (plan.Width is { Unit: SizeUnit.Pixels } oldWidth && height is { Unit: SizeUnit.Pixels } oldHeight && oldWidth.Value > 0)
        {
            // Keep the w:h the URL asked for (fit=crop boxes would otherwise change shape with the slot).
            height = SizeValue.Pixels(Math.Max(1, (int)Math.Round(oldHeight.Value * width / oldWidth.Value, MidpointRounding.AwayFromZero)));
        }

        // The hint is in device pixels already, so the URL's dpr must not multiply it again.
        return plan with { Width = SizeValue.Pixels(width), Height = height, Dpr = 1 };
    }
}
