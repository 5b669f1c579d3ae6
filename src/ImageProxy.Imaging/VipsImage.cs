using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;

namespace ImageProxy.Imaging;

/// <summary>
/// A small typed facade over <see cref="VipsCall"/> for exactly the operations the executor uses. Each instance owns one
/// image reference; operations return new instances and leave this one untouched. An operation holds references to its
/// inputs, so an input can be disposed as soon as its successor exists.
/// </summary>
internal sealed class VipsImage : IDisposable
{
    private readonly VipsHandle _handle;

    public VipsImage(VipsHandle handle) => _handle = handle;

    public VipsHandle Handle => _handle;

    public int Width => Read(LibVips.vips_image_get_width);
    public int Height => Read(LibVips.vips_image_get_height);
    public int Bands => Read(LibVips.vips_image_get_bands);
    public bool HasAlpha => Read(LibVips.vips_image_hasalpha) != 0;

    /// <summary>VipsBandFormat (0 = uchar, 2 = ushort, …).</summary>
    public int BandFormat => Read(LibVips.vips_image_get_format);

    /// <summary>VipsInterpretation (22 = sRGB, 1 = B_W, 15 = CMYK, 25 = RGB16, 26 = GREY16, …).</summary>
    public int Interpretation => Read(LibVips.vips_image_get_interpretation);

    public int Pages => Read(LibVips.vips_image_get_n_pages);

    /// <summary>Integer metadata field, or <paramref name="fallback"/> when absent (checked first, so the error buffer stays clean).</summary>
    public int GetInt(string field, int fallback)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var p = _handle.DangerousGetHandle();
            if (LibVips.vips_image_get_typeof(p, field) == 0)
            {
                return fallback;
            }

            return LibVips.vips_image_get_int(p, field, out var value) == 0 ? value : fallback;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>String metadata field, or null when absent.</summary>
    public string? GetString(string field)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var p = _handle.DangerousGetHandle();
            if (LibVips.vips_image_get_typeof(p, field) == 0)
            {
                return null;
            }

            return LibVips.vips_image_get_string(p, field, out var value) == 0 ? Marshal.PtrToStringUTF8(value) : null;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public bool HasField(string field)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return LibVips.vips_image_get_typeof(_handle.DangerousGetHandle(), field) != 0;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    // ---- constructors -------------------------------------------------------------------------------------------

    /// <summary>Runs an operation whose output image is "out".</summary>
    public static VipsImage Call(string operation, VipsArguments arguments) => new(VipsCall.Image(operation, arguments));

    public static VipsImage Black(int width, int height, int bands = 1) =>
        Call("black", new VipsArguments().Set("width", width).Set("height", height).Set("bands", bands));

    /// <summary>Opens encoded bytes with the loader their magic bytes select (random access; for tests and small images).</summary>
    public static unsafe VipsImage FromBuffer(byte[] bytes)
    {
        nint found;
        fixed (byte* p = bytes)
        {
            found = LibVips.vips_foreign_find_load_buffer(p, (nuint)bytes.Length);
        }

        if (found == 0)
        {
            throw VipsException.FromBuffer("no loader for these bytes");
        }

        return Call(Marshal.PtrToStringUTF8(found)!, new VipsArguments().Set("buffer", bytes));
    }

    /// <summary>The band values of one pixel (getpoint).</summary>
    public unsafe double[] GetPoint(int x, int y)
    {
        double[]? result = null;
        VipsCall.Run("getpoint", new VipsArguments().Set("in", _handle).Set("x", x).Set("y", y), built =>
        {
            GValue gv = default;
            try
            {
                GObject.g_value_init(&gv, VipsTypes.ArrayDouble);
                GObject.g_object_get_property(built, "out_array", &gv);
                var values = LibVips.vips_value_get_array_double(&gv, out var n);
                result = new ReadOnlySpan<double>(values, n).ToArray();
            }
            finally
            {
                GObject.g_value_unset(&gv);
            }
        });
        return result!;
    }

    // ---- operations ---------------------------------------------------------------------------------------------

    public VipsImage ExtractArea(int left, int top, int width, int height) =>
        Call("extract_area", new VipsArguments().Set("input", _handle).Set("left", left).Set("top", top).Set("width", width).Set("height", height));

    public VipsImage Resize(double scale, double vscale) =>
        Call("resize", new VipsArguments().Set("in", _handle).Set("scale", scale).Set("vscale", vscale));

    public VipsImage Embed(int x, int y, int width, int height, string extend, double[]? background = null) =>
        Call("embed", new VipsArguments().Set("in", _handle).Set("x", x).Set("y", y).Set("width", width).Set("height", height)
            .Set("extend", new VipsEnum(extend)).Set("background", background));

    public VipsImage Insert(VipsImage sub, int x, int y) =>
        Call("insert", new VipsArguments().Set("main", _handle).Set("sub", sub._handle).Set("x", x).Set("y", y));

    /// <summary>direction: "horizontal" or "vertical".</summary>
    public VipsImage Flip(string direction) =>
        Call("flip", new VipsArguments().Set("in", _handle).Set("direction", new VipsEnum(direction)));

    /// <summary>angle: "d90", "d180" or "d270" (clockwise).</summary>
    public VipsImage Rot(string angle) =>
        Call("rot", new VipsArguments().Set("in", _handle).Set("angle", new VipsEnum(angle)));

    public VipsImage Rotate(double degrees, double[] background) =>
        Call("rotate", new VipsArguments().Set("in", _handle).Set("angle", degrees).Set("background", background));

    public VipsImage GaussBlur(double sigma) =>
        Call("gaussblur", new VipsArguments().Set("in", _handle).Set("sigma", sigma));

    public VipsImage Sharpen(double sigma, double m2) =>
        Call("sharpen", new VipsArguments().Set("in", _handle).Set("sigma", sigma).Set("m2", m2));

    /// <summary>interesting: "entropy" or "attention". Reads its input twice: give it a memory image (pitfall 1).</summary>
    public VipsImage SmartCrop(int width, int height, string interesting) =>
        Call("smartcrop", new VipsArguments().Set("input", _handle).Set("width", width).Set("height", height)
            .Set("interesting", new VipsEnum(interesting)));

    public VipsImage Flatten(double[] background) =>
        Call("flatten", new VipsArguments().Set("in", _handle).Set("background", background));

    /// <summary>space: a VipsInterpretation nick such as "srgb" or "b-w".</summary>
    public VipsImage Colourspace(string space) =>
        Call("colourspace", new VipsArguments().Set("in", _handle).Set("space", new VipsEnum(space)));

    /// <summary>Converts to sRGB through the embedded profile (or <paramref name="inputProfile"/> when there is none).</summary>
    public VipsImage IccToSrgb(string? inputProfile) =>
        Call("icc_transform", new VipsArguments().Set("in", _handle).Set("output_profile", "srgb").Set("embedded", true)
            .Set("input_profile", inputProfile).Set("depth", 8));

    public VipsImage Cast(string format) =>
        Call("cast", new VipsArguments().Set("in", _handle).Set("format", new VipsEnum(format)));

    public VipsImage BandJoinConst(double[] constants) =>
        Call("bandjoin_const", new VipsArguments().Set("in", _handle).Set("c", constants));

    /// <summary>
    /// Computes every pixel into memory: the point where lazy decode errors surface (pitfall 4), the fix for one-shot
    /// sequential pipelines feeding multi-pass operations (pitfall 1), and the guard against webpsave's leak on error (pitfall 2).
    /// </summary>
    public VipsImage CopyMemory()
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var copy = LibVips.vips_image_copy_memory(_handle.DangerousGetHandle());
            if (copy == 0)
            {
                throw VipsException.FromBuffer("copy_memory failed");
            }

            return new VipsImage(new VipsHandle(copy));
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private int Read(Func<nint, int> getter)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return getter(_handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }
}
