using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;
using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;

namespace ImageProxy.Imaging;

/// <summary>
/// Process-wide libvips start-up, settings and capability report. Call <see cref="Initialize"/> once at start-up,
/// single-threaded, before the first request; it is idempotent afterwards. libvips is never shut down in the server.
/// </summary>
public static class VipsRuntime
{
    /// <summary>
    /// The loader families we accept, as libvips abstract class names. Everything else under VipsForeignLoad (PDF,
    /// ImageMagick, OpenSlide, FITS, Matlab, …) stays blocked: Debian's build otherwise decodes anything ImageMagick can
    /// (libvips-notes pitfall 8). "Nsgif" is the GIF loader since 8.11, "Gif" the older one.
    /// </summary>
    private static readonly string[] AllowedLoaders =
    [
        "VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif", "VipsForeignLoadGif",
        "VipsForeignLoadHeif", "VipsForeignLoadTiff", "VipsForeignLoadSvg", "VipsForeignLoadJxl",
    ];

    private static readonly Lock Gate = new();
    private static volatile bool _initialized;
    private static string _version = string.Empty;
    private static int _concurrency;
    private static HashSet<ImageFormat> _loadable = [];
    private static HashSet<ImageFormat> _savable = [];

    /// <summary>
    /// Loads libvips (from <paramref name="libraryPath"/>, else $IMAGEPROXY_LIBVIPS, else the bundled build under .native/, else libvips.so.42),
    /// initialises it once, turns the operation cache off, sets concurrency, blocks untrusted loaders. Idempotent.
    /// </summary>
    public static void Initialize(string? libraryPath = null, int concurrency = 1)
    {
        if (_initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            LibraryResolver.Install(libraryPath);
            if (LibVips.vips_init("imageproxy") != 0)
            {
                throw VipsException.FromBuffer("vips_init failed");
            }

            VipsTypes.Load();
            GLibLog.Install();

            // No operation cache: every request is a different image, and cached operations would pin source blobs.
            LibVips.vips_cache_set_max(0);
            // On a small box parallelism comes from concurrent requests; libvips' own threads add little (libvips-notes §6).
            _concurrency = Math.Max(1, concurrency);
            LibVips.vips_concurrency_set(_concurrency);

            // Block untrusted operations, then every loader, then re-open only our allow-list.
            LibVips.vips_block_untrusted_set(1);
            LibVips.vips_operation_block_set("VipsForeignLoad", 1);
            foreach (var loader in AllowedLoaders)
            {
                // Unknown names (e.g. VipsForeignLoadGif on builds that only have Nsgif) are ignored by libvips.
                LibVips.vips_operation_block_set(loader, 0);
            }

            _version = Marshal.PtrToStringUTF8(LibVips.vips_version_string()) ?? "unknown";
            _loadable = [.. Enum.GetValues<ImageFormat>().Where(ProbeLoad)];
            _savable = [.. Enum.GetValues<ImageFormat>().Where(ProbeSave)];
            _initialized = true;
        }
    }

    /// <summary>libvips version, e.g. "8.18.7".</summary>
    public static string Version => Ready(_version);

    /// <summary>Major and minor version as numbers, e.g. (8, 18).</summary>
    public static (int Major, int Minor) VersionNumber
    {
        get
        {
            Ready(_version);
            return (LibVips.vips_version(0), LibVips.vips_version(1));
        }
    }

    /// <summary>Path of the loaded library file.</summary>
    public static string LibraryPath => Ready(LibraryResolver.LoadedFrom!);

    /// <summary>True when a source of this format can be read (its loader exists and is on the allow-list).</summary>
    public static bool CanLoad(ImageFormat format) => Ready(_loadable).Contains(format);

    /// <summary>True when the executor can encode this format with the loaded build (AVIF/HEIF checked by a real trial encode).</summary>
    public static bool CanSave(ImageFormat format) => Ready(_savable).Contains(format);

    /// <summary>One line for the start-up log: version, library, loaders, savers, concurrency.</summary>
    public static string Describe()
    {
        Ready(_version);
        static string List(IEnumerable<ImageFormat> f) => string.Join(",", f.Order().Select(x => x.ToString().ToLowerInvariant()));
        return $"libvips {_version} from {LibraryResolver.LoadedFrom}; load: {List(_loadable)}; save: {List(_savable)}; concurrency {_concurrency}; cache off";
    }

    /// <summary>Runs a tiny real libvips operation (4×4 image → PNG); true when it worked.</summary>
    public static bool HealthProbe()
    {
        try
        {
            Ready(_version);
            using var black = VipsImage.Black(4, 4);
            var png = VipsCall.Blob("pngsave_buffer", new VipsArguments().Set("in", black.Handle));
            return png.Length > 8 && png[0] == 0x89 && png[1] == (byte)'P';
        }
        catch (VipsException)
        {
            return false;
        }
    }

    /// <summary>Turns libvips' leak accounting on or off (tests; it is reported by the tracked-memory counters).</summary>
    public static void SetLeakTracking(bool on)
    {
        Ready(_version);
        LibVips.vips_leak_set(on ? 1 : 0);
    }

    /// <summary>Bytes currently allocated by libvips' tracked allocator (pixel buffers, memory images).</summary>
    public static long TrackedMemory => (long)LibVips.vips_tracked_get_mem();

    /// <summary>Peak of <see cref="TrackedMemory"/>.</summary>
    public static long TrackedMemoryHighWater => (long)LibVips.vips_tracked_get_mem_highwater();

    /// <summary>Number of live tracked allocations.</summary>
    public static int TrackedAllocations => LibVips.vips_tracked_get_allocs();

    /// <summary>Number of files libvips has open.</summary>
    public static int TrackedFiles => LibVips.vips_tracked_get_files();

    /// <summary>Loader nickname per input format; HEIF and AVIF share libheif's loader.</summary>
    internal static string? LoaderFor(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegload_buffer",
        ImageFormat.Png => "pngload_buffer",
        ImageFormat.WebP => "webpload_buffer",
        ImageFormat.Gif => "gifload_buffer",
        ImageFormat.Avif or ImageFormat.Heif => "heifload_buffer",
        ImageFormat.Tiff => "tiffload_buffer",
        ImageFormat.Svg => "svgload_buffer",
        ImageFormat.Jxl => "jxlload_buffer",
        _ => null, // PDF stays blocked
    };

    /// <summary>Saver nickname per output format; formats we do not encode (TIFF, SVG, PDF) have none.</summary>
    internal static string? SaverFor(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegsave_buffer",
        ImageFormat.Png => "pngsave_buffer",
        ImageFormat.WebP => "webpsave_buffer",
        ImageFormat.Gif => "gifsave_buffer",
        ImageFormat.Avif or ImageFormat.Heif => "heifsave_buffer",
        ImageFormat.Jxl => "jxlsave_buffer",
        _ => null,
    };

    private static bool ProbeLoad(ImageFormat format) =>
        LoaderFor(format) is { } nick && LibVips.vips_type_find("VipsOperation", nick) != 0;

    private static bool ProbeSave(ImageFormat format)
    {
        if (SaverFor(format) is not { } nick || LibVips.vips_type_find("VipsOperation", nick) == 0)
        {
            return false;
        }

        if (format is not (ImageFormat.Avif or ImageFormat.Heif or ImageFormat.Jxl))
        {
            return true;
        }

        // A saver class can exist without a working encoder: heifsave needs the AV1 / HEVC plugins (Ubuntu ships them as
        // separate packages, libvips-notes §7), and Debian 8.14's jxlsave_buffer fails at run time. So encode a 16×16
        // picture once, through the same options the executor uses.
        try
        {
            using var black = VipsImage.Black(16, 16, 3);
            using var rgb = black.Colourspace("srgb");
            var bytes = Encode.Run(rgb, format, TransformPlan.Default, autoCompress: false, EncoderSettings.Default with { AvifEffort = 0 });
            return bytes.Length > 12;
        }
        catch (VipsException)
        {
            return false;
        }
    }

    private static T Ready<T>(T value) => _initialized || Gate.IsHeldByCurrentThread
        ? value
        : throw new InvalidOperationException("VipsRuntime.Initialize has not been called");
}
