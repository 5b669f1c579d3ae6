using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Forces the lazy pipeline into memory. Pixels are only decoded when something pulls them, so this is where a corrupt or
/// truncated source fails (docs/libvips.md §2); such a failure is the client's (422), not ours.
/// </summary>
internal static class Materialize
{
    public static readonly TransformError Undecodable = TransformError.Unprocessable("source image could not be decoded");

    public static VipsImage Apply(VipsImage image)
    {
        try
        {
            return image.CopyMemory();
        }
        catch (VipsException e)
        {
            throw new ImagingException(Undecodable, e);
        }
    }
}
