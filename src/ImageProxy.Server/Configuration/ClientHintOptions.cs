using ImageProxy.Client;

namespace ImageProxy.Server.Configuration;

/// <summary><c>ImageProxy:ClientHints</c>: how <c>ch=Width</c> hints are bucketed.</summary>
public sealed class ClientHintOptions
{
    /// <summary>
    /// Ascending output widths a Width hint is snapped up to; null = imgix's 31 srcset widths (100 … 8192), so a
    /// hinted request lands on the same variants a js-core srcset asks for. A list replaces the default, it does not
    /// add to it (which is why this is not an array with a default value: the binder would append).
    /// </summary>
    public List<int>? WidthBuckets { get; set; }

    public IReadOnlyList<int> EffectiveWidthBuckets => WidthBuckets is { Count: > 0 } buckets ? buckets : SrcsetBuilder.DefaultWidths;
}
