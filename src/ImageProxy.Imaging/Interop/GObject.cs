using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>GObject and GLib functions we need (non-variadic only). Ownership is noted per declaration.</summary>
internal static unsafe partial class GObject
{
    // Fundamental GType ids (G_TYPE_MAKE_FUNDAMENTAL(n) = n << 2), stable across GLib versions.
    public const nuint TypeBoolean = 20;
    public const nuint TypeInt = 24;
    public const nuint TypeEnum = 48;
    public const nuint TypeFlags = 52;
    public const nuint TypeDouble = 60;
    public const nuint TypeString = 64;

    [LibraryImport(LibraryNames.GObject)]
    public static partial GValue* g_value_init(GValue* value, nuint type);

    /// <summary>Releases whatever the value holds (string copy, object ref, boxed ref) and zeroes it.</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_unset(GValue* value);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_boolean(GValue* value, int b);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_int(GValue* value, int i);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_double(GValue* value, double d);

    /// <summary>Copies the string into the value.</summary>
    [LibraryImport(LibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void g_value_set_string(GValue* value, string s);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_enum(GValue* value, int e);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_flags(GValue* value, uint f);

    /// <summary>Takes its own reference on <paramref name="obj"/>.</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_object(GValue* value, nint obj);

    /// <summary>Takes its own reference on the boxed value (for VipsBlob: a vips_area_copy).</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_value_set_boxed(GValue* value, nint boxed);

    [LibraryImport(LibraryNames.GObject)]
    public static partial int g_value_get_int(GValue* value);

    [LibraryImport(LibraryNames.GObject)]
    public static partial double g_value_get_double(GValue* value);

    /// <summary>Borrowed boxed pointer, valid while the value is set.</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial nint g_value_get_boxed(GValue* value);

    /// <summary>Owned new reference to the object held by the value (0 when none).</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial nint g_value_dup_object(GValue* value);

    /// <summary>Copies <paramref name="value"/> into the property. Bad names or values only raise a GLib warning (pitfall 6).</summary>
    [LibraryImport(LibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void g_object_set_property(nint obj, string name, GValue* value);

    /// <summary>Copies the property into an initialised <paramref name="value"/>.</summary>
    [LibraryImport(LibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void g_object_get_property(nint obj, string name, GValue* value);

    /// <summary>Borrowed GParamSpec of a property, or 0 when the class has none by that name (no error, no warning).</summary>
    [LibraryImport(LibraryNames.GObject, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint g_object_class_find_property(nint objectClass, string name);

    [LibraryImport(LibraryNames.GObject)]
    public static partial nint g_object_ref(nint obj);

    [LibraryImport(LibraryNames.GObject)]
    public static partial void g_object_unref(nint obj);

    [LibraryImport(LibraryNames.GObject)]
    public static partial nuint g_type_fundamental(nuint type);

    /// <summary>Borrowed type name.</summary>
    [LibraryImport(LibraryNames.GObject)]
    public static partial nint g_type_name(nuint type);

    // ---- GLib ----------------------------------------------------------------------------------------------------

    [LibraryImport(LibraryNames.GLib)]
    public static partial void g_free(nint mem);

    /// <summary>Installs a log handler for one domain; returns its id.</summary>
    [LibraryImport(LibraryNames.GLib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint g_log_set_handler(string domain, int levels, delegate* unmanaged[Cdecl]<nint, int, nint, nint, void> handler, nint userData);

    /// <summary>The value type of a GParamSpec: a GType at byte offset 24 on LP64 (after g_type_instance, name, flags+padding).</summary>
    public static nuint ParamSpecValueType(nint pspec) => *(nuint*)(pspec + 24);

    /// <summary>The class pointer of a GObject instance (GTypeInstance.g_class, its first field).</summary>
    public static nint ClassOf(nint instance) => *(nint*)instance;
}
