namespace ImageProxy.Server.Configuration;

/// <summary>
/// A source's rendering switches that widen what untrusted input may do, off by default (issue 12): sources.json
/// "textMarkup" (pango markup in txt is interpreted rather than drawn literally) and "enableLoaders" (optional libvips
/// loaders; the only one is "pdf"). They reach the renderer through the source's effective <see cref="Transform.Limits"/>.
/// </summary>
public sealed record RenderingSwitches(bool TextMarkup, bool PdfLoader)
{
    public static readonly RenderingSwitches Default = new(false, false);

    /// <summary>The loader names "enableLoaders" accepts.</summary>
    public static readonly string[] LoaderNames = ["pdf"];

    internal static RenderingSwitches Read(SourceCheck check, bool textMarkup, IReadOnlyList<string>? loaders)
    {
        foreach (var loader in loaders ?? [])
        {
            if (!LoaderNames.Contains(loader))
            {
                throw check.Error("enableLoaders", $"'{loader}' is not an optional loader (known: {string.Join(", ", LoaderNames)})");
            }
        }

        return new RenderingSwitches(textMarkup, loaders?.Contains("pdf") == true);
    }

    public Transform.Limits ApplyTo(Transform.Limits limits) => limits with { TextMarkup = TextMarkup, PdfLoader = PdfLoader };
}
