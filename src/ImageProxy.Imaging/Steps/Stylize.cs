using NetVips;
using ImageProxy.Transform;

namespace ImageProxy.Imaging.Steps;

/// <summary>monochrome, sepia, duotone, halftone (htn) and pixelate (px), in that order.</summary>
internal static class Stylize
{
    /// <summary>Rec. 709 luma weights, as libvips uses for sRGB → grey.</summary>
    private static readonly double[] Luma = [0.2126, 0.7152, 0.0722];

    public static VipsImage Monochrome(VipsImage image, Transform.Stylize s)
    {
        if (s.Monochrome is not { } tint || tint.A == 0)
        {
            return image;
        }

        // Luminance mapped onto a ramp black → tint → white (so the tint shows in the mid-tones and black and white stay),
        // mixed with the picture by the colour's alpha.
        var tintLuma = Math.Clamp(Dot(Luma, tint) / 255, 0.01, 0.99);
        double Ramp(double v, byte c) => v <= tintLuma ? v / tintLuma * c : c + ((v - tintLuma) / (1 - tintLuma) * (255 - c));
        return Mapped(image, tint.A / 255.0, v => (Ramp(v, tint.R), Ramp(v, tint.G), Ramp(v, tint.B)));
    }

    public static VipsImage Sepia(VipsImage image, Transform.Stylize s)
    {
        if (s.Sepia <= 0)
        {
            return image;
        }

        // The classic sepia matrix (Microsoft's, as in CSS filter: sepia()), mixed with identity by sepia/100.
        var t = s.Sepia / 100.0;
        double[,] sepia = { { 0.393, 0.769, 0.189 }, { 0.349, 0.686, 0.168 }, { 0.272, 0.534, 0.131 } };
        var m = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                m[r, c] = ((1 - t) * (r == c ? 1 : 0)) + (t * sepia[r, c]);
            }
        }

        return Bands.OnColor(image, color => color.Recomb(m));
    }

    public static VipsImage Duotone(VipsImage image, Transform.Stylize s)
    {
        if (s.Duotone is not { } pair || s.DuotoneAlpha == 0)
        {
            return image;
        }

        // Luminance 0 → the first colour (shadows), 255 → the second (highlights), linearly; mixed by duotone-alpha.
        var (dark, light) = (pair.First, pair.Second);
        double Mix(double v, byte a, byte b) => a + (v * (b - a));
        return Mapped(image, s.DuotoneAlpha / 100.0, v => (Mix(v, dark.R, light.R), Mix(v, dark.G, light.G), Mix(v, dark.B, light.B)));
    }

    /// <summary>htn: an amplitude-modulated screen, a dot per cell (cell = 2 + htn/5 px) growing with darkness, in the cell's colour on white.</summary>
    public static VipsImage Halftone(VipsImage image, Transform.Stylize s)
    {
        if (s.Halftone <= 0)
        {
            return image;
        }

        var cell = 2 + (s.Halftone / 5);
        return Bands.OnColor(image, color =>
        {
            // Threshold screen: normalised distance from each cell's centre, 0 at the centre to 1 at the corners.
            using var xy = VipsImage.Xyz(cell, cell);
            using var centred = xy.Linear([1, 1], [-(cell - 1) / 2.0, -(cell - 1) / 2.0]);
            using var squared = centred.Multiply(centred);
            using var x2 = squared.ExtractBand(0);
            using var y2 = squared.ExtractBand(1);
            using var r2 = x2.Add(y2);
            var corner = 2 * Math.Pow((cell - 1) / 2.0, 2);
            using var screenCell = r2.Linear([255 / Math.Max(corner, 1)], [0]);
            using var screen = screenCell.Replicate((color.Width / cell) + 1, (color.Height / cell) + 1);
            using var fitted = screen.ExtractArea(0, 0, color.Width, color.Height);
            using var grey = color.Colourspace(Enums.Interpretation.Bw);
            using var darkness = grey.Linear([-1], [255]);
            using var ink = darkness.MoreThan(fitted);
            using var white = color.Linear([0, 0, 0], [255, 255, 255], uchar: true);
            return ink.IfThenElse(color, white);
        });
    }

    /// <summary>px: square blocks of px×px output pixels, aligned to the top-left corner, each the mean of its block.</summary>
    public static VipsImage Pixelate(VipsImage image, Transform.Stylize s)
    {
        var block = s.Pixelate;
        if (block <= 1 || image.Width < block || image.Height < block)
        {
            return image;
        }

        using var small = image.Shrink(block);
        using var blocks = small.Zoom(block);
        using var edged = blocks.Embed(0, 0, image.Width, image.Height, Enums.Extend.Copy);
        return Bands.ToUChar(edged);
    }

    private static double Dot(double[] weights, Rgba c) => (weights[0] * c.R) + (weights[1] * c.G) + (weights[2] * c.B);

    /// <summary>Luminance (0–1) through a colour map, mixed with the original by <paramref name="strength"/>.</summary>
    private static VipsImage Mapped(VipsImage image, double strength, Func<double, (double R, double G, double B)> map)
    {
        var table = new double[3][];
        for (var band = 0; band < 3; band++)
        {
            table[band] = new double[256];
        }

        for (var i = 0; i < 256; i++)
        {
            var (r, g, b) = map(i / 255.0);
            (table[0][i], table[1][i], table[2][i]) = (r, g, b);
        }

        return Bands.OnColor(image, color =>
        {
            using var grey = color.Colourspace(Enums.Interpretation.Bw);
            using var lut = Lut3(table);
            using var mapped = Bands.MapLut(grey, lut);
            if (strength >= 1)
            {
                return mapped.Linear([1], [0]);
            }

            using var kept = color.Linear([1 - strength], [0]);
            using var added = mapped.Linear([strength], [0]);
            return kept.Add(added);
        });
    }

    private static VipsImage Lut3(double[][] bands)
    {
        VipsImage? lut = null;
        foreach (var values in bands)
        {
            var row = new double[1, 256];
            for (var i = 0; i < 256; i++)
            {
                row[0, i] = Math.Clamp(Math.Round(values[i]), 0, 255);
            }

            using var one = VipsOps.Matrix(row);
            var joined = lut is null ? one.Linear([1], [0]) : lut.BandJoin(one);
            lut?.Dispose();
            lut = joined;
        }

        using var table = lut!;
        return table.ToUChar();
    }
}
