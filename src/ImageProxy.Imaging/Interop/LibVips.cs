using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// libvips' C API: the non-variadic functions only (a C varargs call cannot be made correctly from .NET on SysV x86-64,
/// see libvips-notes §2). Ownership is noted per declaration: "borrowed" results must not be freed, "owned" ones must.
/// </summary>
internal static unsafe partial class LibVips
{
    // ---- start-up and settings -------------------------------------------------------------------------------------

    /// <summary>Returns 0 on success. <paramref name="argv0"/> is only used for messages.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_init(string argv0);

    /// <summary>Borrowed static string, e.g. "8.18.7".</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_version_string();

    /// <summary>0 = major, 1 = minor, 2 = micro.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_version(int flag);

    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_cache_set_max(int max);

    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_concurrency_set(int concurrency);

    /// <summary>Blocks (1) or unblocks (0) every operation flagged untrusted.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_block_untrusted_set(int state);

    /// <summary>Blocks or unblocks the named operation class and all its subclasses.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void vips_operation_block_set(string name, int state);

    /// <summary>Turns on libvips' own leak accounting (reported by vips_shutdown and the tracked_* counters).</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_leak_set(int leak);

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_tracked_get_mem();

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_tracked_get_mem_highwater();

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_tracked_get_allocs();

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_tracked_get_files();

    // ---- type lookups --------------------------------------------------------------------------------------------

    /// <summary>Finds a subclass of <paramref name="basename"/> by nickname or type name; 0 when absent. No error is set.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nuint vips_type_find(string basename, string nickname);

    /// <summary>Borrowed nickname of a type (e.g. "jpegload_buffer").</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_nickname_find(nuint type);

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_image_get_type();

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_blob_get_type();

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_array_double_get_type();

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_array_int_get_type();

    [LibraryImport(LibraryNames.Vips)]
    public static partial nuint vips_array_image_get_type();

    /// <summary>Initialises <paramref name="value"/> (of array-image type) to <paramref name="n"/> empty slots.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_value_set_array_image(GValue* value, int n);

    /// <summary>Borrowed slot array of the GValue; each slot takes an owned reference.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint* vips_value_get_array_image(GValue* value, out int n);

    /// <summary>Owned new matrix image (width×height doubles, row-major).</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_image_new_matrix_from_array(int width, int height, double* array, int size);

    // ---- operations ---------------------------------------------------------------------------------------------

    /// <summary>Owned new VipsOperation (unref with g_object_unref), or 0 with the error buffer set for an unknown name.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint vips_operation_new(string name);

    /// <summary>
    /// Builds through the operation cache. Returns an owned reference to the built operation (possibly a cached twin),
    /// or 0 with the error buffer set. The caller still owns (and must unref) its reference to <paramref name="operation"/>.
    /// </summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_cache_operation_build(nint operation);

    /// <summary>Drops the references the operation holds on its output objects.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_object_unref_outputs(nint obj);

    /// <summary>
    /// Looks up an argument by name; 0 on success with borrowed pointers to its GParamSpec and class/instance records,
    /// -1 with the error buffer set for an unknown name.
    /// </summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_object_get_argument(nint obj, string name, out nint pspec, out nint argumentClass, out nint argumentInstance);

    /// <summary>VipsArgumentFlags of an argument (REQUIRED=1, INPUT=16, OUTPUT=32, DEPRECATED=64); 0 for an unknown name.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_object_get_argument_flags(nint obj, string name);

    /// <summary>Parses "name=value,…" into the object's arguments. 0 on success.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_object_set_from_string(nint obj, string text);

    /// <summary>Enum value for a nick (e.g. "centre"), or -1 with the error buffer set. <paramref name="domain"/> prefixes the error.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_enum_from_nick(string domain, nuint type, string nick);

    // ---- errors -------------------------------------------------------------------------------------------------

    /// <summary>Owned copy of the process-wide error buffer (free with g_free); the buffer is cleared in the same call.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_error_buffer_copy();

    /// <summary>Borrowed pointer to the current error buffer text (tests only).</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_error_buffer();

    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_error_clear();

    // ---- blobs and arrays ---------------------------------------------------------------------------------------

    /// <summary>Owned new VipsBlob holding a libvips-owned copy of the bytes (release with vips_area_unref).</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_blob_copy(byte* data, nuint length);

    /// <summary>Borrowed pointer to a blob's bytes.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial byte* vips_blob_get(nint blob, out nuint length);

    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_area_unref(nint area);

    /// <summary>Copies <paramref name="n"/> doubles into a GValue already initialised to VipsArrayDouble (it does not init it).</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial void vips_value_set_array_double(GValue* value, double* array, int n);

    /// <summary>Borrowed pointer to the doubles held by a VipsArrayDouble GValue; <paramref name="n"/> receives the count.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial double* vips_value_get_array_double(GValue* value, out int n);

    // ---- loaders and savers --------------------------------------------------------------------------------------

    /// <summary>Borrowed type name of the loader for these bytes (e.g. "VipsForeignLoadJpegBuffer"), or 0 with the error buffer set.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_foreign_find_load_buffer(byte* data, nuint size);

    /// <summary>Borrowed type name of the buffer saver for a suffix such as ".avif", or 0 with the error buffer set.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint vips_foreign_find_save_buffer(string suffix);

    // ---- image header -------------------------------------------------------------------------------------------

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_width(nint image);

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_height(nint image);

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_bands(nint image);

    /// <summary>VipsBandFormat: 0 uchar, 2 ushort, …</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_format(nint image);

    /// <summary>VipsInterpretation: 1 B_W, 15 CMYK, 22 sRGB, 25 GREY16, 26 RGB16, …</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_interpretation(nint image);

    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_hasalpha(nint image);

    /// <summary>"n-pages" metadata, 1 when absent.</summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial int vips_image_get_n_pages(nint image);

    /// <summary>GType of a metadata field, 0 when absent (no error set).</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nuint vips_image_get_typeof(nint image, string name);

    /// <summary>0 on success; -1 with the error buffer set when the field is missing.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_get_int(nint image, string name, out int value);

    /// <summary>0 on success with a borrowed string; -1 with the error buffer set when missing.</summary>
    [LibraryImport(LibraryNames.Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_get_string(nint image, string name, out nint value);

    /// <summary>
    /// Owned new image with every pixel computed into memory, or 0 with the error buffer set. This is where a lazy
    /// pipeline's decode errors surface (libvips-notes pitfall 4).
    /// </summary>
    [LibraryImport(LibraryNames.Vips)]
    public static partial nint vips_image_copy_memory(nint image);
}
