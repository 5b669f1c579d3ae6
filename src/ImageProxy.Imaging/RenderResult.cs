using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>An encoded output image.</summary>
public sealed record RenderResult(byte[] Bytes, ImageFormat Format, int Width, int Height);
