using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>Step 4 of the order: cut the crop window out of the scaled picture, placed by Geometry or by libvips smartcrop.</summary>
internal static class Crop
{
    public static VipsImage Apply(VipsImage image, ResolvedGeometry g)
    {
        if (g.Crop is not { } crop)
        {
            return image;
        }

        if (crop.Width == image.Width && crop.Height == image.Height && crop.X == 0 && crop.Y == 0)
        {
            return image;
        }

        if (g.SmartCrop is CropStrategy.Entropy or CropStrategy.Edges)
        {
            // smartcrop reads its input twice; a one-shot sequential pipeline would fail later in the saver (docs/libvips.md §1).
            using var memory = Materialize.Apply(image);
            return memory.Smartcrop(
                Math.Min(crop.Width, memory.Width),
                Math.Min(crop.Height, memory.Height),
                interesting: g.SmartCrop == CropStrategy.Entropy ? Enums.Interesting.Entropy : Enums.Interesting.Attention);
        }

        return image.ExtractArea(crop.X, crop.Y, crop.Width, crop.Height);
    }
}
