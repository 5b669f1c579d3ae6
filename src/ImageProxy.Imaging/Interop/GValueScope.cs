using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// Sets one named input on a GObject through a zeroed, stack-allocated <see cref="GValue"/>: init with the argument's GType,
/// set, g_object_set_property, and g_value_unset in a finally. Only the value kinds the executor passes are supported:
/// bool, int, double, string, enum (by nick), flags, image, blob (byte[]) and array of doubles.
/// </summary>
internal static unsafe class GValueScope
{
    /// <summary>Sets <paramref name="name"/> (whose GParamSpec value type is <paramref name="type"/>) to <paramref name="value"/>.</summary>
    public static void SetProperty(nint obj, string name, nuint type, object value, string operation)
    {
        GValue gv = default;
        try
        {
            Fill(&gv, type, value, operation, name);
            GObject.g_object_set_property(obj, name, &gv);
        }
        finally
        {
            if (gv.GType != 0)
            {
                GObject.g_value_unset(&gv);
            }
        }
    }

    private static void Fill(GValue* gv, nuint type, object value, string operation, string name)
    {
        if (type == VipsTypes.Image)
        {
            var handle = value as VipsHandle ?? throw Mismatch(operation, name, value, "an image");
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                GObject.g_value_init(gv, type);
                GObject.g_value_set_object(gv, handle.DangerousGetHandle()); // the GValue takes its own ref
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }

            return;
        }

        if (type == VipsTypes.Blob)
        {
            // Copy into a libvips-owned blob: the lazy pipeline reads the bytes long after this call (libvips-notes §2).
            var bytes = value as byte[] ?? throw Mismatch(operation, name, value, "a byte[]");
            nint blob;
            fixed (byte* p = bytes)
            {
                blob = LibVips.vips_blob_copy(p, (nuint)bytes.Length);
            }

            GObject.g_value_init(gv, type);
            GObject.g_value_set_boxed(gv, blob); // the GValue takes its own reference …
            LibVips.vips_area_unref(blob);       // … so drop ours
            return;
        }

        if (type == VipsTypes.ArrayImage)
        {
            var images = value as VipsHandle[] ?? throw Mismatch(operation, name, value, "a VipsHandle[]");
            GObject.g_value_init(gv, type);
            LibVips.vips_value_set_array_image(gv, images.Length);
            var slots = LibVips.vips_value_get_array_image(gv, out _);
            for (var i = 0; i < images.Length; i++)
            {
                var added = false;
                try
                {
                    images[i].DangerousAddRef(ref added);
                    slots[i] = GObject.g_object_ref(images[i].DangerousGetHandle()); // the array owns one reference per slot
                }
                finally
                {
                    if (added)
                    {
                        images[i].DangerousRelease();
                    }
                }
            }

            return;
        }

        if (type == VipsTypes.ArrayDouble)
        {
            var array = value switch
            {
                double[] d => d,
                double d => [d],
                _ => throw Mismatch(operation, name, value, "a double[]"),
            };
            GObject.g_value_init(gv, type);
            fixed (double* p = array)
            {
                LibVips.vips_value_set_array_double(gv, p, array.Length); // copies the doubles into a new VipsArea
            }

            return;
        }

        switch (GObject.g_type_fundamental(type))
        {
            case GObject.TypeBoolean when value is bool b:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_boolean(gv, b ? 1 : 0);
                return;
            case GObject.TypeInt when value is int i:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_int(gv, i);
                return;
            case GObject.TypeDouble when value is double or int:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_double(gv, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                return;
            case GObject.TypeString when value is string s:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_string(gv, s);
                return;
            case GObject.TypeEnum when value is VipsEnum e:
                var v = LibVips.vips_enum_from_nick(operation, type, e.Nick);
                if (v < 0)
                {
                    throw VipsException.FromBuffer($"{operation}: bad value '{e.Nick}' for '{name}'");
                }

                GObject.g_value_init(gv, type);
                GObject.g_value_set_enum(gv, v);
                return;
            case GObject.TypeEnum when value is int ei:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_enum(gv, ei);
                return;
            case GObject.TypeFlags when value is VipsFlags f:
                GObject.g_value_init(gv, type);
                GObject.g_value_set_flags(gv, f.Value);
                return;
            default:
                throw Mismatch(operation, name, value, TypeName(type));
        }
    }

    private static VipsException Mismatch(string operation, string name, object value, string expected) =>
        new($"{operation}: argument '{name}' expects {expected}, got {value.GetType().Name}");

    private static string TypeName(nuint type) => Marshal.PtrToStringUTF8(GObject.g_type_name(type)) ?? type.ToString();
}
