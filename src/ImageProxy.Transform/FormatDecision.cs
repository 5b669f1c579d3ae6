namespace ImageProxy.Transform;

/// <summary>
/// The output format as far as it can be known before the source is read: a concrete format, or
/// null = "same as source" (then <see cref="FormatChoice.Resolve"/> settles it from the source's facts).
/// <see cref="AcceptMattered"/> says whether the Accept header influenced it (then responses carry Vary: Accept).
/// </summary>
/// <see cref="AnimatedFormat"/> is what auto=format gives an animated source (WebP when accepted, else GIF), so the
/// animation survives negotiation; it is part of the cache key with the format.
public sealed record FormatDecision(ImageFormat? Format, bool AcceptMattered, bool CompressAuto = false, ImageFormat? AnimatedFormat = null);
