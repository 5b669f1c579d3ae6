using NetVips;

namespace ImageProxy.Imaging;

/// <summary>
/// Captures GLib log messages from the "VIPS", "GLib-GObject" and "GLib" domains (bad property values only warn,
/// docs/libvips.md §6). Levels ERROR, CRITICAL, WARNING, MESSAGE plus the fatal/recursion flags; never INFO or DEBUG, which
/// libvips emits for every thumbnail (docs/libvips.md §6). The callback can run on libvips worker threads, so it only counts,
/// keeps the last message and forwards to an optional sink.
/// </summary>
public static class GLibLog
{
    private const Enums.LogLevelFlags Levels = Enums.LogLevelFlags.Error | Enums.LogLevelFlags.Critical |
        Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Message | Enums.LogLevelFlags.FlagFatal | Enums.LogLevelFlags.FlagRecursion;

    private static long _count;
    private static string? _last;
    private static int _installed;

    /// <summary>Optional sink (domain, level flags, message); set by the host to route warnings into its logger. Must be cheap and thread-safe.</summary>
    public static Action<string, int, string>? Sink { get; set; }

    /// <summary>Number of messages received since start-up.</summary>
    public static long Count => Interlocked.Read(ref _count);

    /// <summary>The most recent message, "domain: text".</summary>
    public static string? LastMessage => Volatile.Read(ref _last);

    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        foreach (var domain in new[] { "VIPS", "GLib-GObject", "GLib" })
        {
            Log.SetLogHandler(domain, Levels, OnLog);
        }
    }

    private static void OnLog(string? domain, Enums.LogLevelFlags level, string? message)
    {
        // Never let an exception cross back into native code.
        try
        {
            Interlocked.Increment(ref _count);
            Volatile.Write(ref _last, $"{domain}: {message}");
            Sink?.Invoke(domain ?? string.Empty, (int)level, message ?? string.Empty);
        }
        catch
        {
            // ignored on purpose: a logging failure must not take the process down
        }
    }
}
