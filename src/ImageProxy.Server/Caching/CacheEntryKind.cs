namespace ImageProxy.Server.Caching;

/// <summary>What a cache entry holds; stored in its metadata so a misplaced file is never served as the wrong thing.</summary>
public enum CacheEntryKind
{
    /// <summary>A rendered variant, addressed by its cache key.</summary>
    Result,

    /// <summary>The fetched original, kept briefly so many variants cost one origin download.</summary>
    Original,

    /// <summary>The object's last known origin validator (<see cref="ObjectRecord"/>).</summary>
    Record,
}
