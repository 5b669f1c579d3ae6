using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>face-blur and face-pixel: every detected face blurred or pixelated (a privacy feature).</summary>
internal static class FaceMask
{
    /// <summary>
    /// Faces given in oriented, flipped source pixels, mapped onto the decoded image (the geometry's region scaled to
    /// ScaledWidth×ScaledHeight). Runs before the crop so the faces are masked wherever the crop lands.
    /// </summary>
    public static VipsImage Apply(VipsImage image, IReadOnlyList<PixelRect> faces, ResolvedGeometry g, TransformPlan plan)
    {
        if (faces.Count == 0 || (plan.FaceBlur <= 0 && plan.FacePixel <= 0))
        {
            return image;
        }

        var region = g.Region ?? new PixelRect(0, 0, g.SourceWidth, g.SourceHeight);
        var kx = image.Width / (double)region.Width;
        var ky = image.Height / (double)region.Height;
        // Inserting areas reads the picture out of order: hold it in memory once, not per face.
        var result = image.CopyMemory();
        foreach (var face in faces)
        {
            var x0 = Math.Clamp((int)Math.Floor((face.X - region.X) * kx), 0, image.Width);
            var y0 = Math.Clamp((int)Math.Floor((face.Y - region.Y) * ky), 0, image.Height);
            var x1 = Math.Clamp((int)Math.Ceiling((face.X + face.Width - region.X) * kx), 0, image.Width);
            var y1 = Math.Clamp((int)Math.Ceiling((face.Y + face.Height - region.Y) * ky), 0, image.Height);
            if (x1 - x0 < 2 || y1 - y0 < 2)
            {
                continue;
            }

            using var area = result.ExtractArea(x0, y0, x1 - x0, y1 - y0);
            using var masked = Mask(area, plan);
            using var previous = result;
            result = previous.Insert(masked, x0, y0).CopyMemory();
        }

        return result;
    }

    private static VipsImage Mask(VipsImage area, TransformPlan plan)
    {
        // Both strengths scale with the face: 100 makes a quarter of the face width the blur sigma or the block size.
        var quarter = area.Width / 4.0;
        if (plan.FacePixel > 0)
        {
            var block = Math.Max(2, (int)Math.Round(quarter * plan.FacePixel / 100));
            var across = (int)Math.Ceiling(area.Width / (double)block);
            var down = (int)Math.Ceiling(area.Height / (double)block);
            using var small = area.Resize(across / (double)area.Width, vscale: down / (double)area.Height);
            using var blocks = small.Zoom(block, block);
            var pixelated = blocks.ExtractArea(0, 0, area.Width, area.Height);
            return plan.FaceBlur > 0 ? Blur(pixelated, quarter, plan.FaceBlur) : pixelated;
        }

        return Blur(area.Copy(), quarter, plan.FaceBlur);
    }

    private static VipsImage Blur(VipsImage area, double quarter, double amount)
    {
        using (area)
        {
            var sigma = Math.Max(0.5, quarter * amount / 100);
            return area.Gaussblur(sigma).Cast(area.Format);
        }
    }
}
