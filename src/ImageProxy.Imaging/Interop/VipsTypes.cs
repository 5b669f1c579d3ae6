namespace ImageProxy.Imaging.Interop;

/// <summary>
/// The GTypes of libvips' boxed and object types, read once after vips_init. Enum types are never looked up by name:
/// libvips registers them lazily, so g_type_from_name can return 0 (libvips-notes §2); we take them from each pspec instead.
/// </summary>
internal static class VipsTypes
{
    public static nuint Image { get; private set; }
    public static nuint Blob { get; private set; }
    public static nuint ArrayDouble { get; private set; }
    public static nuint ArrayInt { get; private set; }
    public static nuint ArrayImage { get; private set; }

    public static void Load()
    {
        Image = LibVips.vips_image_get_type();
        Blob = LibVips.vips_blob_get_type();
        ArrayDouble = LibVips.vips_array_double_get_type();
        ArrayInt = LibVips.vips_array_int_get_type();
        ArrayImage = LibVips.vips_array_image_get_type();
    }
}
