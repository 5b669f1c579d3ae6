using System.Runtime.InteropServices;
using ImageProxy.Imaging.Interop;

namespace ImageProxy.Imaging;

/// <summary>
/// A libvips failure, with the text of the process-wide libvips error buffer for the log. The text is a diagnostic only:
/// the buffer is shared by all threads and collects warnings too (libvips-notes pitfall 5), so it is never used to classify
/// a failure and never sent to clients; the server maps this exception to a 500.
/// </summary>
public sealed class VipsException : Exception
{
    public VipsException(string message, string? vipsError = null)
        : base(string.IsNullOrWhiteSpace(vipsError) ? message : $"{message}: {vipsError.Trim()}")
    {
        VipsError = vipsError?.Trim() ?? string.Empty;
    }

    /// <summary>What the libvips error buffer held (possibly empty, possibly another thread's text).</summary>
    public string VipsError { get; }

    /// <summary>Takes (copies and clears) the libvips error buffer.</summary>
    internal static string TakeErrorBuffer()
    {
        var copy = LibVips.vips_error_buffer_copy();
        if (copy == 0)
        {
            return string.Empty;
        }

        try
        {
            return Marshal.PtrToStringUTF8(copy) ?? string.Empty;
        }
        finally
        {
            GObject.g_free(copy);
        }
    }

    /// <summary>Builds an exception from <paramref name="what"/> and the current error buffer (which is cleared).</summary>
    internal static VipsException FromBuffer(string what) => new(what, TakeErrorBuffer());
}
