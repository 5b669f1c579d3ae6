namespace ImageProxy.Imaging.Interop;

/// <summary>
/// Logical library names used by our <c>[LibraryImport]</c> declarations. <see cref="LibraryResolver"/> maps them either all to
/// the single self-contained sharp build (which exports libvips, GObject and GLib from one file) or to Debian's three sonames.
/// </summary>
internal static class LibraryNames
{
    public const string Vips = "imageproxy-vips";
    public const string GObject = "imageproxy-gobject";
    public const string GLib = "imageproxy-glib";
}
