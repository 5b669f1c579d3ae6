using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// The alpha of mask=ellipse and mask=corners, computed straight into a byte per pixel at the output size: each pixel
/// gets the share of it inside the shape (estimated from its centre's distance to the edge, so edges are anti-aliased),
/// and pixels away from an edge are set without any arithmetic. This costs a fraction of rasterising the same shape
/// through the SVG loader (parse, cairo, four bands), which mattered: the mask was a third of a W1 request's CPU.
/// </summary>
internal static class ShapeMask
{
    /// <summary>A one-band uchar mask of the ellipse inscribed in width×height: 255 inside, 0 outside.</summary>
    public static VipsImage Ellipse(int width, int height)
    {
        var mask = new byte[width * height];
        double rx = width / 2.0, ry = height / 2.0;
        for (var y = 0; y < height; y++)
        {
            var dy = (y + 0.5 - ry) / ry;
            for (var x = 0; x < width; x++)
            {
                var dx = (x + 0.5 - rx) / rx;
                // f = 1 on the ellipse; (f − 1) / |∇f| is the distance to it in pixels, to first order.
                var f = (dx * dx) + (dy * dy);
                var gradient = 2 * Math.Sqrt((dx * dx / (rx * rx)) + (dy * dy / (ry * ry)));
                mask[(y * width) + x] = gradient == 0 ? (byte)255 : Coverage((f - 1) / gradient);
            }
        }

        return FromBytes(mask, width, height);
    }

    /// <summary>A one-band uchar mask of the width×height rectangle with rounded corners (each radius at most half the shorter side).</summary>
    public static VipsImage RoundedRect(int width, int height, CornerRadii radii)
    {
        var mask = new byte[width * height];
        Array.Fill(mask, (byte)255);
        var max = Math.Min(width, height) / 2.0;
        Corner(Math.Min(radii.TopLeft, max), left: true, top: true);
        Corner(Math.Min(radii.TopRight, max), left: false, top: true);
        Corner(Math.Min(radii.BottomRight, max), left: false, top: false);
        Corner(Math.Min(radii.BottomLeft, max), left: true, top: false);
        return FromBytes(mask, width, height);

        // Only the r×r square of each corner differs from the full rectangle: there, the distance to the arc decides.
        void Corner(double r, bool left, bool top)
        {
            var size = (int)Math.Ceiling(r);
            for (var j = 0; j < size; j++)
            {
                for (var i = 0; i < size; i++)
                {
                    var distance = Math.Sqrt(Math.Pow(r - (i + 0.5), 2) + Math.Pow(r - (j + 0.5), 2)) - r;
                    var x = left ? i : width - 1 - i;
                    var y = top ? j : height - 1 - j;
                    if (i + 0.5 < r && j + 0.5 < r)
                    {
                        mask[(y * width) + x] = Coverage(distance);
                    }
                }
            }
        }
    }

    /// <summary>The share of a pixel inside the shape from its centre's signed distance to the edge (negative = inside).</summary>
    private static byte Coverage(double distance) => (byte)Math.Round(Math.Clamp(0.5 - distance, 0, 1) * 255);

    private static VipsImage FromBytes(byte[] mask, int width, int height)
    {
        // NetVips pins the array for as long as libvips holds the image, so later lazy steps may still read it.
        return VipsImage.NewFromMemory(mask, width, height, 1, Enums.BandFormat.Uchar);
    }
}
