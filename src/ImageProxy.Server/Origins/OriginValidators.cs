namespace ImageProxy.Server.Origins;

/// <summary>Conditional-request validators for an origin fetch (the origin's own ETag, not ours).</summary>
public sealed record OriginValidators(string? IfNoneMatch, DateTimeOffset? IfModifiedSince)
{
    public static readonly OriginValidators None = new(null, null);
}
