using System.Globalization;

namespace ImageProxy.Transform;

/// <summary>
/// Minimal Accept header reading for auto=format: does the client list an exact media type with q &gt; 0?
/// Wildcards (<c>image/*</c>, <c>*/*</c>) deliberately do not count (our reading of imgix, docs/web.md, imgix: Formats):
/// browsers send them even when they cannot decode AVIF or WebP.
/// </summary>
internal static class AcceptHeader
{
    /// <summary>True when <paramref name="mediaType"/> is listed with a positive (or absent) q. Never throws.</summary>
    public static bool Accepts(string? header, string mediaType)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        foreach (var range in header.Split(','))
        {
            var parts = range.Split(';');
            if (!parts[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var quality = 1.0;
            for (var i = 1; i < parts.Length; i++)
            {
                var parameter = parts[i].Trim();
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality))
                {
                    quality = 0;
                }
            }

            if (quality > 0)
            {
                return true;
            }
        }

        return false;
    }
}
