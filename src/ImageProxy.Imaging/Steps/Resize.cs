using NetVips;
namespace ImageProxy.Imaging.Steps;

/// <summary>Step 3 of the order: scale to exactly the resolved size (possibly non-uniformly), fixing libvips' rounding.</summary>
internal static class Resize
{
    public static VipsImage Exactly(VipsImage image, int width, int height)
    {
        var (w, h) = (image.Width, image.Height);
        if (w == width && h == height)
        {
            return image;
        }

        var resized = image.Resize((double)width / w, vscale: (double)height / h);
        try
        {
            return Decode.Replace(resized, ToSize(resized, width, height));
        }
        catch
        {
            resized.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Crops or edge-extends by the odd pixel: resize (and thumbnail) round the output size and may land one off the target.
    /// Returns the same instance when the size is already right.
    /// </summary>
    public static VipsImage ToSize(VipsImage image, int width, int height)
    {
        var (w, h) = (image.Width, image.Height);
        if (w == width && h == height)
        {
            return image;
        }

        var current = image;
        if (w > width || h > height)
        {
            current = current.ExtractArea(0, 0, Math.Min(w, width), Math.Min(h, height));
        }

        if (current.Width < width || current.Height < height)
        {
            var extended = current.Embed(0, 0, width, height, Enums.Extend.Copy);
            if (!ReferenceEquals(current, image))
            {
                current.Dispose();
            }

            current = extended;
        }

        return current;
    }
}
