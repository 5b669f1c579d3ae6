using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ImageProxy.Imaging;

/// <summary>
/// Decides, once per process, which libvips file NetVips binds to: the NuGet build (NetVips.Native.linux-*, found by
/// .NET's native probing under runtimes/&lt;rid&gt;/native/), Debian's system <c>libvips.so.42</c>, or a file path.
/// </summary>
/// <remarks>
/// NetVips sets its own DllImport resolver and calls vips_init in its module initializer. An assembly has one resolver and
/// the first one set wins; <see cref="AppDomain.AssemblyLoad"/> is raised after NetVips is loaded but before its module
/// initializer runs, so ours is set there (NetVips ignores its own failure to set one). Like NetVips' resolver, ours maps
/// every library name to the one libvips handle: dlsym on it also finds GLib and GObject, whether they are linked into
/// the file (NuGet build) or are its dependencies (Debian). This class must not mention a NetVips type: the JIT would
/// load NetVips while compiling it, before the event is hooked.
/// </remarks>
internal static class LibvipsLibrary
{
    public const string EnvironmentVariable = "IMAGEPROXY_LIBVIPS";
    public const string Soname = "libvips.so.42";
    private const string NetVipsAssembly = "NetVips";

    private static readonly Lock Gate = new();
    private static Choice? _choice;
    private static nint _handle;

    /// <summary>Where libvips comes from: <see cref="Bundled"/>, <see cref="System"/> or a full file path.</summary>
    public sealed record Choice(string Kind, string? Path = null)
    {
        public const string Bundled = "bundled";
        public const string System = "system";
        public const string File = "file";

        public override string ToString() => Path ?? Kind;
    }

    /// <summary>The build asked for (see <see cref="Prepare"/>); null before it.</summary>
    public static Choice? Chosen => _choice;

    /// <summary>The real file libvips was loaded from (read from /proc/self/maps); null before the first call into NetVips.</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>
    /// Fixes the choice (setting → $IMAGEPROXY_LIBVIPS → bundled) and hooks the resolver; call before anything touches NetVips.
    /// A second call is fine when it means the same build, and an error when it asks for another: a process has one libvips.
    /// </summary>
    public static Choice Prepare(string? setting)
    {
        lock (Gate)
        {
            var wanted = Parse(setting) ?? Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)) ?? new Choice(Choice.Bundled);
            if (_choice is not null)
            {
                if (setting is not null && wanted != _choice)
                {
                    throw new InvalidOperationException($"libvips is already chosen as '{_choice}' in this process; '{wanted}' cannot be loaded as well");
                }

                return _choice;
            }

            if (AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == NetVipsAssembly) is { } loaded)
            {
                // Loaded before we were asked: NetVips' own resolver is in charge and we cannot tell it what to load.
                throw new InvalidOperationException($"NetVips was loaded ({loaded.Location}) before VipsRuntime.Initialize chose libvips");
            }

            _choice = wanted;
            AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
            return wanted;
        }
    }

    /// <summary>"system", "bundled" (case-insensitive) or an existing file; null for an empty setting.</summary>
    internal static Choice? Parse(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }

        if (setting.Equals(Choice.System, StringComparison.OrdinalIgnoreCase) || setting.Equals(Choice.Bundled, StringComparison.OrdinalIgnoreCase))
        {
            return new Choice(setting.ToLowerInvariant());
        }

        return File.Exists(setting)
            ? new Choice(Choice.File, System.IO.Path.GetFullPath(setting))
            : throw new FileNotFoundException($"libvips not found at '{setting}' (from the libvips setting or ${EnvironmentVariable})", setting);
    }

    private static void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs e)
    {
        if (e.LoadedAssembly.GetName().Name != NetVipsAssembly)
        {
            return;
        }

        AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad;
        NativeLibrary.SetDllImportResolver(e.LoadedAssembly, Resolve);
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        lock (Gate)
        {
            if (_handle != 0)
            {
                return _handle;
            }

            var choice = _choice!;
            _handle = choice.Kind switch
            {
                // dlopen by soname: the loader's cache, i.e. Debian's /usr/lib/<triplet>/libvips.so.42.
                Choice.System => NativeLibrary.Load(Soname),
                Choice.File => NativeLibrary.Load(choice.Path!),
                // .NET's probing: the app's deps.json native assets first (the NuGet file), as NetVips itself would.
                _ => NativeLibrary.Load(Soname, assembly, searchPath),
            };
            LoadedFrom = MappedFile(NativeLibrary.GetExport(_handle, "vips_init")) ?? choice.ToString();
            return _handle;
        }
    }

    /// <summary>The file mapped at <paramref name="address"/>, from /proc/self/maps (Linux; null elsewhere).</summary>
    private static string? MappedFile(nint address)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            // "start-end perms offset dev inode   path"
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var range = fields[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if ((ulong)address >= start && (ulong)address < end && fields.Length == 6)
            {
                return fields[5].Trim();
            }
        }

        return null;
    }
}
