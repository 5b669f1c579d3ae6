using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>An encoded output image, or a document about the image (fm=json, fm=blurhash, palette).</summary>
public sealed record RenderResult(byte[] Bytes, ImageFormat Format, int Width, int Height)
{
    /// <summary>The body's media type: the image format's, or the document's.</summary>
    public string ContentType { get; init; } = Format.ContentType();

    /// <summary>The lossy quality the encoder used (null for lossless formats and documents).</summary>
    public int? Quality { get; init; }

    /// <summary>True when <c>max-bytes</c> could not be met at <c>min-q</c> and the picture was made smaller to meet it.</summary>
    public bool ShrunkForBudget { get; init; }
}
