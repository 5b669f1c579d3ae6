using System.Runtime.InteropServices;

namespace ImageProxy.Imaging.Interop;

/// <summary>
/// GLib's GValue on LP64: a GType followed by two 8-byte data words (24 bytes). Only ever lives on the stack, zeroed
/// before <c>g_value_init</c> and released with <c>g_value_unset</c>; see <see cref="GValueScope"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 24)]
internal struct GValue
{
    public nuint GType;
    public ulong Data0;
    public ulong Data1;
}
