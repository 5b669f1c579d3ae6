using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>Process-wide libvips start-up, settings and capability report. STUB: filled in by the native work.</summary>
public static class VipsRuntime
{
    /// <summary>
    /// Loads libvips (from <paramref name="libraryPath"/>, else $IMAGEPROXY_LIBVIPS, else the bundled build under .native/, else libvips.so.42),
    /// initialises it once, turns the operation cache off, sets concurrency, blocks untrusted loaders. Idempotent.
    /// </summary>
    public static void Initialize(string? libraryPath = null, int concurrency = 1) => throw new NotImplementedException();

    /// <summary>libvips version, e.g. "8.18.7".</summary>
    public static string Version => throw new NotImplementedException();

    /// <summary>Path of the loaded library file.</summary>
    public static string LibraryPath => throw new NotImplementedException();

    public static bool CanLoad(ImageFormat format) => throw new NotImplementedException();
    public static bool CanSave(ImageFormat format) => throw new NotImplementedException();

    /// <summary>Runs a tiny real libvips operation (4×4 image → PNG); true when it worked.</summary>
    public static bool HealthProbe() => throw new NotImplementedException();
}
