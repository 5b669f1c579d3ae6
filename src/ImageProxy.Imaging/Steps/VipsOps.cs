using ImageProxy.Imaging.Interop;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// The libvips operations the issue-11 steps need beyond <see cref="VipsImage"/>'s own, as extension methods over the
/// generic operation call. This file is the port seam to NetVips: each method is one NetVips call
/// (<c>Linear</c>, <c>Recomb</c>, <c>Bandjoin</c>, <c>Composite2</c>, <c>FindTrim</c>, …), so moving the steps means
/// rewriting this file and nothing else.
/// </summary>
internal static class VipsOps
{
    /// <summary>out = in × a + b per band; a 1-band input with n-element constants gives n bands. uchar output when asked.</summary>
    public static VipsImage Linear(this VipsImage image, double[] a, double[] b, bool uchar = false) =>
        VipsImage.Call("linear", new VipsArguments().Set("in", image.Handle).Set("a", a).Set("b", b).Set("uchar", uchar ? true : null));

    /// <summary>Each pixel's bands multiplied by a bands×bands matrix (rows = output bands).</summary>
    public static unsafe VipsImage Recomb(this VipsImage image, double[,] matrix)
    {
        using var m = Matrix(matrix);
        return VipsImage.Call("recomb", new VipsArguments().Set("in", image.Handle).Set("m", m.Handle));
    }

    public static unsafe VipsImage Matrix(double[,] values)
    {
        var height = values.GetLength(0);
        var width = values.GetLength(1);
        var flat = new double[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                flat[(y * width) + x] = values[y, x];
            }
        }

        fixed (double* p = flat)
        {
            var handle = LibVips.vips_image_new_matrix_from_array(width, height, p, flat.Length);
            return handle == 0 ? throw VipsException.FromBuffer("matrix") : new VipsImage(new VipsHandle(handle));
        }
    }

    public static VipsImage ExtractBand(this VipsImage image, int band, int count = 1) =>
        VipsImage.Call("extract_band", new VipsArguments().Set("in", image.Handle).Set("band", band).Set("n", count));

    public static VipsImage BandJoin(this VipsImage image, VipsImage other) =>
        VipsImage.Call("bandjoin", new VipsArguments().Set("in", new[] { image.Handle, other.Handle }));

    public static VipsImage Multiply(this VipsImage image, VipsImage other) =>
        VipsImage.Call("multiply", new VipsArguments().Set("left", image.Handle).Set("right", other.Handle));

    /// <summary>Where <paramref name="condition"/> is non-zero take <paramref name="then"/>, else <paramref name="otherwise"/>.</summary>
    public static VipsImage IfThenElse(this VipsImage condition, VipsImage then, VipsImage otherwise) =>
        VipsImage.Call("ifthenelse", new VipsArguments().Set("cond", condition.Handle).Set("in1", then.Handle).Set("in2", otherwise.Handle));

    /// <summary>Porter-Duff "over" of <paramref name="overlay"/> placed at (x, y) on <paramref name="image"/>.</summary>
    public static VipsImage CompositeOver(this VipsImage image, VipsImage overlay, int x = 0, int y = 0) =>
        VipsImage.Call("composite2", new VipsArguments().Set("base", image.Handle).Set("overlay", overlay.Handle)
            .Set("mode", new VipsEnum("over")).Set("x", x == 0 ? null : x).Set("y", y == 0 ? null : y));

    public static VipsImage Add(this VipsImage image, VipsImage other) =>
        VipsImage.Call("add", new VipsArguments().Set("left", image.Handle).Set("right", other.Handle));

    public static VipsImage Subtract(this VipsImage image, VipsImage other) =>
        VipsImage.Call("subtract", new VipsArguments().Set("left", image.Handle).Set("right", other.Handle));

    public static VipsImage Abs(this VipsImage image) =>
        VipsImage.Call("abs", new VipsArguments().Set("in", image.Handle));

    /// <summary>max(value, 0) per pixel, as (v + |v|) / 2.</summary>
    public static VipsImage Max0(this VipsImage image)
    {
        using var magnitude = image.Abs();
        using var sum = image.Add(magnitude);
        return sum.Linear([0.5], [0]);
    }

    /// <summary>255 where the pixel is less than <paramref name="value"/>, else 0 (per band).</summary>
    public static VipsImage LessThan(this VipsImage image, double value) =>
        VipsImage.Call("relational_const", new VipsArguments().Set("in", image.Handle)
            .Set("relational", new VipsEnum("less")).Set("c", new[] { value }));

    /// <summary>255 where <paramref name="image"/> is more than <paramref name="other"/>, else 0 (per band).</summary>
    public static VipsImage MoreThan(this VipsImage image, VipsImage other) =>
        VipsImage.Call("relational", new VipsArguments().Set("left", image.Handle).Set("right", other.Handle)
            .Set("relational", new VipsEnum("more")));

    /// <summary>The same pixels tagged with another interpretation (e.g. "lch" after joining L, C and h bands).</summary>
    public static VipsImage Copy(this VipsImage image, string interpretation) =>
        VipsImage.Call("copy", new VipsArguments().Set("in", image.Handle).Set("interpretation", new VipsEnum(interpretation)));

    /// <summary>The same pixels with a resolution in dots per inch (libvips keeps pixels per millimetre).</summary>
    public static VipsImage WithDpi(this VipsImage image, int dpi) =>
        VipsImage.Call("copy", new VipsArguments().Set("in", image.Handle).Set("xres", dpi / 25.4).Set("yres", dpi / 25.4));

    /// <summary>Block average by integer factors (every output pixel is the mean of a factor×factor block).</summary>
    public static VipsImage Shrink(this VipsImage image, int factor) =>
        VipsImage.Call("shrink", new VipsArguments().Set("in", image.Handle).Set("hshrink", (double)factor).Set("vshrink", (double)factor));

    /// <summary>Nearest-neighbour enlargement by integer factors.</summary>
    public static VipsImage Zoom(this VipsImage image, int factor) =>
        VipsImage.Call("zoom", new VipsArguments().Set("input", image.Handle).Set("xfac", factor).Set("yfac", factor));

    /// <summary>Repeats the image across and down.</summary>
    public static VipsImage Replicate(this VipsImage image, int across, int down) =>
        VipsImage.Call("replicate", new VipsArguments().Set("in", image.Handle).Set("across", across).Set("down", down));

    /// <summary>A two-band image of pixel coordinates (x, y).</summary>
    public static VipsImage Xyz(int width, int height) =>
        VipsImage.Call("xyz", new VipsArguments().Set("width", width).Set("height", height));

    /// <summary>The value below which <paramref name="percent"/> % of the (one-band, uchar) pixels fall.</summary>
    public static int Percent(this VipsImage image, double percent)
    {
        var threshold = 0;
        VipsCall.Run("percent", new VipsArguments().Set("in", image.Handle).Set("percent", percent),
            built => threshold = ReadInt(built, "threshold"));
        return threshold;
    }

    public static VipsImage Premultiply(this VipsImage image) =>
        VipsImage.Call("premultiply", new VipsArguments().Set("in", image.Handle));

    public static VipsImage Unpremultiply(this VipsImage image) =>
        VipsImage.Call("unpremultiply", new VipsArguments().Set("in", image.Handle));

    /// <summary>A 256×1 ramp 0…255 (for lookup tables).</summary>
    public static VipsImage Identity() => VipsImage.Call("identity", new VipsArguments());

    /// <summary>Maps every pixel through a lookup table (a 256×1 image, one band per output band).</summary>
    public static VipsImage MapLut(this VipsImage image, VipsImage lut) =>
        VipsImage.Call("maplut", new VipsArguments().Set("in", image.Handle).Set("lut", lut.Handle));

    /// <summary>Rasterises trusted SVG text that we generate ourselves (shapes for masks, borders, gradients, debug marks).</summary>
    public static VipsImage Svg(string svg) =>
        VipsImage.Call("svgload_buffer", new VipsArguments().Set("buffer", System.Text.Encoding.UTF8.GetBytes(svg)));

    /// <summary>Stretches each band's histogram so its darkest and lightest significant values reach 0 and 255.</summary>
    public static VipsImage HistNorm(this VipsImage image) =>
        VipsImage.Call("hist_norm", new VipsArguments().Set("in", image.Handle));

    /// <summary>libvips find_trim: the box of pixels that differ from <paramref name="background"/> by more than <paramref name="threshold"/>.</summary>
    public static unsafe (int Left, int Top, int Width, int Height) FindTrim(this VipsImage image, double threshold, double[] background)
    {
        (int, int, int, int) box = default;
        VipsCall.Run("find_trim", new VipsArguments().Set("in", image.Handle).Set("threshold", threshold).Set("background", background),
            built => box = (ReadInt(built, "left"), ReadInt(built, "top"), ReadInt(built, "width"), ReadInt(built, "height")));
        return box;
    }

    /// <summary>Mean of all bands of all pixels.</summary>
    public static double Average(this VipsImage image) => ReadDouble("avg", image);

    /// <summary>Standard deviation of all bands of all pixels.</summary>
    public static double Deviation(this VipsImage image) => ReadDouble("deviate", image);

    private static unsafe double ReadDouble(string operation, VipsImage image)
    {
        double result = 0;
        VipsCall.Run(operation, new VipsArguments().Set("in", image.Handle), built =>
        {
            GValue gv = default;
            try
            {
                GObject.g_value_init(&gv, GObject.TypeDouble);
                GObject.g_object_get_property(built, "out", &gv);
                result = GObject.g_value_get_double(&gv);
            }
            finally
            {
                GObject.g_value_unset(&gv);
            }
        });
        return result;
    }

    private static unsafe int ReadInt(nint built, string name)
    {
        GValue gv = default;
        try
        {
            GObject.g_value_init(&gv, GObject.TypeInt);
            GObject.g_object_get_property(built, name, &gv);
            return GObject.g_value_get_int(&gv);
        }
        finally
        {
            GObject.g_value_unset(&gv);
        }
    }
}
