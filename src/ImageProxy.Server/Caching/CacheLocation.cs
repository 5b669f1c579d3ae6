namespace ImageProxy.Server.Caching;

/// <summary>
/// Where a served result lives in the result cache, and until when the object record it was found through vouches
/// for it (checked at + the source's max-age). Enough to find the same bytes again without parsing, planning or
/// hashing: what the response memo keeps.
/// </summary>
public sealed record CacheLocation(SourceObject Object, string Key, DateTimeOffset FreshUntil);
