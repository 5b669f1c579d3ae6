using ImageProxy.Imaging;

namespace ImageProxy.Server.Overlays;

/// <summary>One overlay of a request: its parameter, the object holding it, the version's validator and, when the
/// resolution just fetched it, its bytes.</summary>
public sealed record ResolvedOverlay(string Parameter, ImageRequest Original, string Validator, byte[]? Bytes);

/// <summary>
/// The overlays of one request once their versions are known. Their validators are part of the variant's cache key
/// (<see cref="KeyPart"/>), so a changed watermark makes new variants; their bytes are only read when a render needs them.
/// </summary>
public sealed record OverlaySet(IReadOnlyList<ResolvedOverlay> Items)
{
    /// <summary>Appended to the render policy of the cache key: each overlay's parameter and validator.</summary>
    public string KeyPart => string.Concat(Items.Select(o => $";{o.Parameter}={o.Validator}"));

    /// <summary>The bytes of every overlay: those fetched during resolution, the rest from the original cache (or the origin).</summary>
    public async Task<OverlayImages> LoadAsync(Func<ResolvedOverlay, Task<byte[]>> load)
    {
        var images = OverlayImages.None;
        foreach (var overlay in Items)
        {
            images = images.With(overlay.Parameter, overlay.Bytes ?? await load(overlay));
        }

        return images;
    }
}
