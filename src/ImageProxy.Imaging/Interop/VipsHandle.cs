using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// Owns exactly one GObject reference (a VipsImage, usually). <see cref="ReleaseHandle"/> drops it with g_object_unref.
/// libvips memory is invisible to the GC, so callers dispose deterministically; the SafeHandle finalizer is only the backstop.
/// </summary>
internal sealed class VipsHandle : SafeHandle
{
    public VipsHandle() : base(0, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a reference the caller already holds (e.g. from g_value_dup_object).</summary>
    public VipsHandle(nint owned) : base(0, ownsHandle: true) => SetHandle(owned);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        GObject.g_object_unref(handle);
        return true;
    }
}
