using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;

namespace ImageProxy.Imaging;

/// <summary>
/// Captures GLib log messages from the "VIPS" and "GLib-GObject" domains (bad property values only warn, pitfall 6).
/// Mask 0x3F = ERROR, CRITICAL, WARNING, MESSAGE plus the fatal/recursion flags; never INFO or DEBUG, which libvips
/// emits for every thumbnail (pitfall 7). The callback can run on libvips worker threads, so it only counts, keeps the
/// last message and forwards to an optional sink.
/// </summary>
public static class GLibLog
{
    private const int LevelMask = 0x3F;
    private static long _count;
    private static string? _last;
    private static int _installed;

    /// <summary>Optional sink (domain, level flags, message); set by the host to route warnings into its logger. Must be cheap and thread-safe.</summary>
    public static Action<string, int, string>? Sink { get; set; }

    /// <summary>Number of messages received since start-up.</summary>
    public static long Count => Interlocked.Read(ref _count);

    /// <summary>The most recent message, "domain: text".</summary>
    public static string? LastMessage => Volatile.Read(ref _last);

    internal static unsafe void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        delegate* unmanaged[Cdecl]<nint, int, nint, nint, void> handler = &OnLog;
        GObject.g_log_set_handler("VIPS", LevelMask, handler, 0);
        GObject.g_log_set_handler("GLib-GObject", LevelMask, handler, 0);
        GObject.g_log_set_handler("GLib", LevelMask, handler, 0);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint domain, int level, nint message, nint userData)
    {
        // Never let an exception cross back into native code.
        try
        {
            var d = Marshal.PtrToStringUTF8(domain) ?? string.Empty;
            var m = Marshal.PtrToStringUTF8(message) ?? string.Empty;
            Interlocked.Increment(ref _count);
            Volatile.Write(ref _last, $"{d}: {m}");
            Sink?.Invoke(d, level, m);
        }
        catch
        {
            // ignored on purpose: a logging failure must not take the process down
        }
    }
}
