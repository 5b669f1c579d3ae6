namespace ImageProxy.Server.Origins;

/// <summary>A request path matched to a source: <paramref name="RawKey"/> is the still-encoded rest of the path after the prefix and its '/'.</summary>
public sealed record SourceRoute(ImageSource Source, string RawKey);
