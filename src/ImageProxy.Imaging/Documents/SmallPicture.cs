using ImageProxy.Imaging.Steps;
using NetVips;

namespace ImageProxy.Imaging.Documents;

/// <summary>The processed picture shrunk to a few thousand pixels as packed RGB, for palette and BlurHash.</summary>
internal static class SmallPicture
{
    /// <summary>RGB bytes of <paramref name="image"/> scaled to fit <paramref name="maxSide"/>, alpha flattened onto white.</summary>
    public static (byte[] Rgb, int Width, int Height) Read(VipsImage image, int maxSide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(image.Width, image.Height));
        var w = Math.Max(1, (int)Math.Round(image.Width * scale));
        var h = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var small = Resize.Exactly(image, w, h);
        using var flat = small.HasAlpha() ? small.Flatten([255.0]) : small.Copy();
        using var bytes = flat.Format == Enums.BandFormat.Uchar ? flat.Copy() : flat.Cast(Enums.BandFormat.Uchar);
        var raw = bytes.WriteToMemory<byte>();
        var bands = bytes.Bands;
        var rgb = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++)
        {
            // One band (grey) fills all three channels; three or more keep the first three.
            rgb[i * 3] = raw[i * bands];
            rgb[(i * 3) + 1] = raw[(i * bands) + (bands >= 3 ? 1 : 0)];
            rgb[(i * 3) + 2] = raw[(i * bands) + (bands >= 3 ? 2 : 0)];
        }

        return (rgb, w, h);
    }
}
