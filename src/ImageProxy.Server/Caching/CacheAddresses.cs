namespace ImageProxy.Server.Caching;

/// <summary>Fixed keys within an object for the two non-result entries; results use their 64-hex cache key.</summary>
public static class CacheAddresses
{
    public const string Original = "original";
    public const string Record = "record";

    /// <summary>True for the keys an entry may have: guards paths and Redis keys built from them.</summary>
    public static bool IsValid(string key) =>
        key is Original or Record || (key.Length == 64 && key.All(char.IsAsciiHexDigitLower));
}
