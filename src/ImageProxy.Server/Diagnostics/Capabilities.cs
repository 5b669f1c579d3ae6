using ImageProxy.Imaging;
using ImageProxy.Transform;

namespace ImageProxy.Server.Diagnostics;

/// <summary>Which of our formats the loaded libvips can read and write, as lower-case names for logs and the ready endpoint.</summary>
public static class Capabilities
{
    public static string[] Loaders() => Formats(VipsRuntime.CanLoad);

    public static string[] Savers() => Formats(VipsRuntime.CanSave);

    private static string[] Formats(Func<ImageFormat, bool> supported)
        => Enum.GetValues<ImageFormat>().Where(supported).Select(f => f.ToString().ToLowerInvariant()).ToArray();
}
