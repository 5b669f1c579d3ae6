using System.Reflection;
using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// Decides which libvips build the process uses and maps our logical library names to it.
/// Order: explicit path → $IMAGEPROXY_LIBVIPS (a path, or <c>system</c>) → the bundled sharp build found under
/// <c>.native/sharp-libvips-linux-*/lib/</c> above <see cref="AppContext.BaseDirectory"/> → Debian's <c>libvips.so.42</c>.
/// </summary>
internal static class LibraryResolver
{
    public const string EnvironmentVariable = "IMAGEPROXY_LIBVIPS";
    private const string SystemVips = "libvips.so.42";
    private const string SystemGObject = "libgobject-2.0.so.0";
    private const string SystemGLib = "libglib-2.0.so.0";

    private static readonly Lock Gate = new();
    private static nint _vips, _gobject, _glib;

    /// <summary>The file (or soname) libvips was loaded from; null before <see cref="Install"/>.</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>
    /// Loads the chosen build and registers the resolver. Must run before the first P/Invoke into the assembly;
    /// a second call is a no-op (a .NET assembly can have only one resolver, and a process only one libvips).
    /// </summary>
    public static void Install(string? explicitPath)
    {
        lock (Gate)
        {
            if (LoadedFrom is not null)
            {
                return;
            }

            var choice = Choose(explicitPath);
            _vips = NativeLibrary.Load(choice);
            // The sharp build is self-contained: GLib and GObject are exported from the same file. A libvips.so.42 is not,
            // so GLib/GObject come from their own sonames (the ones that libvips itself is linked against).
            if (NativeLibrary.TryGetExport(_vips, "g_object_set_property", out _))
            {
                _gobject = _vips;
                _glib = _vips;
            }
            else
            {
                _gobject = NativeLibrary.Load(SystemGObject);
                _glib = NativeLibrary.Load(SystemGLib);
            }

            NativeLibrary.SetDllImportResolver(typeof(LibraryResolver).Assembly, Resolve);
            LoadedFrom = choice;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        LibraryNames.Vips => _vips,
        LibraryNames.GObject => _gobject,
        LibraryNames.GLib => _glib,
        _ => 0,
    };

    /// <summary>Applies the resolution order; returns a full path or a soname for <see cref="NativeLibrary.Load(string)"/>.</summary>
    internal static string Choose(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return FromSetting(explicitPath);
        }

        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return FromSetting(env);
        }

        return FindBundled(AppContext.BaseDirectory) ?? SystemVips;
    }

    private static string FromSetting(string setting)
    {
        if (setting.Equals("system", StringComparison.OrdinalIgnoreCase))
        {
            return SystemVips;
        }

        if (!File.Exists(setting))
        {
            throw new FileNotFoundException($"libvips not found at '{setting}' (from the Initialize argument or ${EnvironmentVariable})", setting);
        }

        return Path.GetFullPath(setting);
    }

    /// <summary>Walks up from <paramref name="start"/> to the first folder holding <c>.native/sharp-libvips-linux-*/lib/libvips-cpp.so.*</c>.</summary>
    internal static string? FindBundled(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var native = Path.Combine(dir.FullName, ".native");
            if (!Directory.Exists(native))
            {
                continue;
            }

            var hit = Directory.EnumerateDirectories(native, "sharp-libvips-linux-*")
                .Select(d => Path.Combine(d, "lib"))
                .Where(Directory.Exists)
                .SelectMany(lib => Directory.EnumerateFiles(lib, "libvips-cpp.so.*"))
                .Order(StringComparer.Ordinal)
                .LastOrDefault();
            if (hit is not null)
            {
                return hit;
            }
        }

        return null;
    }
}
