using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>
/// A refusal found while reading or rendering an image that the client should hear about
/// (undecodable source → 422, over a limit → 413/422, format not writable → 400), with a public message only.
/// </summary>
public sealed class ImagingException(TransformError error, Exception? inner = null) : Exception(error.Message, inner)
{
    public TransformError Error { get; } = error;
}
