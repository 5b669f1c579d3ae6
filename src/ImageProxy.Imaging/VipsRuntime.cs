using System.Runtime.CompilerServices;
using ImageProxy.Imaging.Steps;
using ImageProxy.Transform;
using NetVips;

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
    /// (docs/libvips.md §7). "Nsgif" is the GIF loader since 8.11, "Gif" the older one.
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
    private static bool _pdf;
    private static volatile bool _pdfOpen;

    /// <summary>
    /// Chooses libvips (<paramref name="library"/>: "bundled" = the NuGet build, "system" = Debian's libvips.so.42, or a
    /// file; else $IMAGEPROXY_LIBVIPS; else bundled), starts it through NetVips, turns the operation cache off, sets
    /// concurrency and blocks untrusted loaders. Idempotent; asking for a different build later is an error.
    /// </summary>
    public static void Initialize(string? library = null, int concurrency = 1)
    {
        // Before any NetVips type is touched (Start is a separate, non-inlined method for that reason).
        LibvipsLibrary.Prepare(library);
        if (_initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (!_initialized)
            {
                Start(concurrency);
                _initialized = true;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Start(int concurrency)
    {
        // Loading NetVips runs its module initializer: our resolver picks the file, then vips_init.
        if (!ModuleInitializer.VipsInitialized)
        {
            throw new InvalidOperationException($"libvips could not be started (asked for: {LibvipsLibrary.Chosen}; loaded: {LibvipsLibrary.LoadedFrom ?? "nothing"})", ModuleInitializer.Exception);
        }

        GLibLog.Install();

        // No operation cache: every request is a different image, and cached operations would pin source blobs.
        Cache.Max = 0;
        // On a small box parallelism comes from concurrent requests; libvips' own threads add little (docs/libvips.md §9).
        _concurrency = Math.Max(1, concurrency);
        NetVips.NetVips.Concurrency = _concurrency;

        // Block untrusted operations, then every loader, then re-open only our allow-list.
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaders)
        {
            // Unknown names (e.g. VipsForeignLoadGif on builds that only have Nsgif) are ignored by libvips.
            Operation.Block(loader, false);
        }

        _version = $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        _loadable = [.. Enum.GetValues<ImageFormat>().Where(ProbeLoad)];
        _savable = [.. Enum.GetValues<ImageFormat>().Where(ProbeSave)];
        _pdf = NetVips.NetVips.TypeFind("VipsOperation", "pdfload_source") != 0;
    }

    /// <summary>True when the loaded build has a PDF loader (Debian's, with poppler; the bundled NetVips.Native has none).</summary>
    public static bool CanReadPdf => Ready(_pdf);

    /// <summary>
    /// Re-opens pdfload (blocked with the other loaders and as untrusted) the first time a source that enables PDF asks
    /// for it: a process none of whose sources enables PDF never has it open. The caller has sniffed the bytes as PDF;
    /// every other source is refused on that same sniff before libvips picks a loader (Steps.Pdf).
    /// </summary>
    internal static void OpenPdfLoader()
    {
        if (_pdfOpen)
        {
            return;
        }

        lock (Gate)
        {
            Operation.Block("VipsForeignLoadPdf", false);
            _pdfOpen = true;
        }
    }

    /// <summary>libvips version, e.g. "8.18.7".</summary>
    public static string Version => Ready(_version);

    /// <summary>Path of the loaded library file.</summary>
    public static string LibraryPath => Ready(LibvipsLibrary.LoadedFrom!);

    /// <summary>True when a source of this format can be read (its loader exists and is on the allow-list).</summary>
    public static bool CanLoad(ImageFormat format) => Ready(_loadable).Contains(format);

    /// <summary>True when the executor can encode this format with the loaded build (AVIF/HEIF checked by a real trial encode).</summary>
    public static bool CanSave(ImageFormat format) => Ready(_savable).Contains(format);

    /// <summary>One line for the start-up log: version, library, loaders, savers, concurrency.</summary>
    public static string Describe()
    {
        Ready(_version);
        static string List(IEnumerable<ImageFormat> f) => string.Join(",", f.Order().Select(x => x.ToString().ToLowerInvariant()));
        return $"libvips {_version} from {LibvipsLibrary.LoadedFrom}; load: {List(_loadable)}{(_pdf ? ",pdf (per source)" : string.Empty)}; save: {List(_savable)}; concurrency {_concurrency}; cache off";
    }

    /// <summary>Runs a tiny real libvips operation (4×4 image → PNG); true when it worked.</summary>
    public static bool HealthProbe()
    {
        try
        {
            Ready(_version);
            using var black = Image.Black(4, 4);
            var png = black.PngsaveBuffer();
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
        NetVips.NetVips.Leak = on;
    }

    /// <summary>Bytes currently allocated by libvips' tracked allocator (pixel buffers, memory images).</summary>
    public static long TrackedMemory => Ready(static () => (long)Stats.Mem);

    /// <summary>Peak of <see cref="TrackedMemory"/>.</summary>
    public static long TrackedMemoryHighWater => Ready(static () => (long)Stats.MemHighwater);

    /// <summary>Number of live tracked allocations.</summary>
    public static int TrackedAllocations => Ready(static () => Stats.Allocations);

    /// <summary>Number of files libvips has open.</summary>
    public static int TrackedFiles => Ready(static () => Stats.Files);

    /// <summary>Throws unless <see cref="Initialize"/> ran: NetVips used without it would run with the cache on and every loader open.</summary>
    internal static void EnsureInitialized() => Ready(true);

    /// <summary>Source loader nickname per input format; HEIF and AVIF share libheif's loader.</summary>
    internal static string? LoaderFor(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegload_source",
        ImageFormat.Png => "pngload_source",
        ImageFormat.WebP => "webpload_source",
        ImageFormat.Gif => "gifload_source",
        ImageFormat.Avif or ImageFormat.Heif => "heifload_source",
        ImageFormat.Tiff => "tiffload_source",
        ImageFormat.Svg => "svgload_source",
        ImageFormat.Jxl => "jxlload_source",
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
        LoaderFor(format) is { } nick && NetVips.NetVips.TypeFind("VipsOperation", nick) != 0;

    private static bool ProbeSave(ImageFormat format)
    {
        if (SaverFor(format) is not { } nick || NetVips.NetVips.TypeFind("VipsOperation", nick) == 0)
        {
            return false;
        }

        if (format is not (ImageFormat.Avif or ImageFormat.Heif or ImageFormat.Jxl))
        {
            return true;
        }

        // A saver class can exist without a working encoder: heifsave needs the AV1 / HEVC plugins (Ubuntu ships them as
        // separate packages, docs/libvips.md §10), and Debian 8.14's jxlsave_buffer fails at run time. So encode a 16×16
        // picture once, through the same options the executor uses.
        try
        {
            using var black = Image.Black(16, 16, 3);
            using var rgb = black.Colourspace(Enums.Interpretation.Srgb);
            var bytes = Encode.Apply(rgb, format, TransformPlan.Default, autoCompress: false, EncoderSettings.Default with { AvifEffort = 0 });
            return bytes.Length > 12;
        }
        catch (VipsException)
        {
            return false;
        }
    }

    /// <summary>Reads a libvips counter only once libvips is up (reading it would otherwise load NetVips unconfigured).</summary>
    private static T Ready<T>(Func<T> read) => Ready(true) ? read() : default!;

    private static T Ready<T>(T value) => _initialized || Gate.IsHeldByCurrentThread
        ? value
        : throw new InvalidOperationException("VipsRuntime.Initialize has not been called");
}
