namespace ImageProxy.Server.Origins;

/// <summary>
/// A request path matched to a source: <paramref name="RawKey"/> is the still-encoded rest of the path after the
/// prefix and its '/'; <paramref name="Generation"/> is that of the source set it was matched in.
/// </summary>
public sealed record SourceRoute(ImageSource Source, string RawKey, long Generation);
