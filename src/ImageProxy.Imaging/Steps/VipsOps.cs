using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Named helpers over NetVips for the issue-11 steps: each is one or two NetVips calls, named for what the step means
/// (composite "over", a one-band mask product, a tagged copy) rather than for the libvips operation.
/// </summary>
internal static class VipsOps
{
    /// <summary>Each pixel's bands multiplied by a bands×bands matrix (rows = output bands).</summary>
    public static VipsImage Recomb(this VipsImage image, double[,] matrix)
    {
        using var m = VipsImage.NewFromArray(matrix);
        return image.Recomb(m);
    }

    /// <summary>A one-band double image holding <paramref name="values"/> (rows × columns).</summary>
    public static VipsImage Matrix(double[,] values) => VipsImage.NewFromArray(values);

    public static VipsImage BandJoin(this VipsImage image, VipsImage other) => image.Bandjoin(other);

    /// <summary>Where <paramref name="condition"/> is non-zero take <paramref name="then"/>, else <paramref name="otherwise"/>.</summary>
    public static VipsImage IfThenElse(this VipsImage condition, VipsImage then, VipsImage otherwise) => condition.Ifthenelse(then, otherwise);

    /// <summary>Porter-Duff "over" of <paramref name="overlay"/> placed at (x, y) on <paramref name="image"/>.</summary>
    public static VipsImage CompositeOver(this VipsImage image, VipsImage overlay, int x = 0, int y = 0) =>
        image.Composite2(overlay, Enums.BlendMode.Over, x == 0 ? null : x, y == 0 ? null : y);

    /// <summary>max(value, 0) per pixel, as (v + |v|) / 2.</summary>
    public static VipsImage Max0(this VipsImage image)
    {
        using var magnitude = image.Abs();
        using var sum = image.Add(magnitude);
        return sum.Linear([0.5], [0]);
    }

    /// <summary>255 where the pixel is less than <paramref name="value"/>, else 0 (per band).</summary>
    public static VipsImage LessThan(this VipsImage image, double value) => image.RelationalConst(Enums.OperationRelational.Less, [value]);

    /// <summary>255 where <paramref name="image"/> is more than <paramref name="other"/>, else 0 (per band).</summary>
    public static VipsImage MoreThan(this VipsImage image, VipsImage other) => image.Relational(other, Enums.OperationRelational.More);

    /// <summary>The same pixels tagged with another interpretation (e.g. LCh after joining L, C and h bands).</summary>
    public static VipsImage Tagged(this VipsImage image, Enums.Interpretation interpretation) => image.Copy(interpretation: interpretation);

    /// <summary>The same pixels with a resolution in dots per inch (libvips keeps pixels per millimetre).</summary>
    public static VipsImage WithDpi(this VipsImage image, int dpi) => image.Copy(xres: dpi / 25.4, yres: dpi / 25.4);

    /// <summary>Block average by an integer factor (every output pixel is the mean of a factor×factor block).</summary>
    public static VipsImage Shrink(this VipsImage image, int factor) => image.Shrink(factor, factor);

    /// <summary>Nearest-neighbour enlargement by an integer factor.</summary>
    public static VipsImage Zoom(this VipsImage image, int factor) => image.Zoom(factor, factor);

    /// <summary>Rasterises trusted SVG text that we generate ourselves (shapes for masks, borders, gradients, debug marks).</summary>
    public static VipsImage Svg(string svg) => VipsImage.SvgloadBuffer(System.Text.Encoding.UTF8.GetBytes(svg));

    /// <summary>libvips find_trim: the box of pixels that differ from <paramref name="background"/> by more than <paramref name="threshold"/>.</summary>
    public static (int Left, int Top, int Width, int Height) TrimBox(this VipsImage image, double threshold, double[] background)
    {
        var box = image.FindTrim(threshold, background);
        return ((int)box[0], (int)box[1], (int)box[2], (int)box[3]);
    }

    /// <summary>A uchar copy (NetVips' Cast).</summary>
    public static VipsImage ToUChar(this VipsImage image) => image.Cast(Enums.BandFormat.Uchar);

    public static bool IsUChar(this VipsImage image) => image.Format == Enums.BandFormat.Uchar;
}
