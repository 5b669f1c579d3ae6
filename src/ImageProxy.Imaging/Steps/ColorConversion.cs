using NetVips;
namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Runs right after decode (and again, cheaply, after sharpening): brings any input to 8-bit sRGB, or 8-bit grey for grey
/// inputs, with alpha kept, so every later step and every saver sees one layout. Embedded ICC profiles (Adobe RGB, CMYK, …)
/// are converted to sRGB; CMYK without a profile goes through libvips' built-in CMYK profile.
/// </summary>
internal static class ColorConversion
{
    public static VipsImage ToSrgb(VipsImage image, bool useProfiles)
    {
        var current = image;
        var interpretation = current.Interpretation;
        if (useProfiles && (current.Contains("icc-profile-data") || interpretation == Enums.Interpretation.Cmyk))
        {
            var inputProfile = interpretation == Enums.Interpretation.Cmyk ? "cmyk" : null;
            current = Decode.Replace(current, current.IccTransform("srgb", embedded: true, inputProfile: inputProfile, depth: 8), keep: image);
            interpretation = current.Interpretation;
        }

        var grey = interpretation is Enums.Interpretation.Bw or Enums.Interpretation.Grey16 && current.Bands <= 2;
        if (grey ? interpretation != Enums.Interpretation.Bw : interpretation != Enums.Interpretation.Srgb)
        {
            current = Decode.Replace(current, current.Colourspace(grey ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb), keep: image);
        }

        if (current.Format != Enums.BandFormat.Uchar)
        {
            current = Decode.Replace(current, current.Cast(Enums.BandFormat.Uchar), keep: image);
        }

        return current;
    }
}
