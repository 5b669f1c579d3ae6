namespace ImageProxy.Imaging.Steps;

/// <summary>
/// Runs right after decode (and again, cheaply, after sharpening): brings any input to 8-bit sRGB, or 8-bit grey for grey
/// inputs, with alpha kept, so every later step and every saver sees one layout. Embedded ICC profiles (Adobe RGB, CMYK, …)
/// are converted to sRGB; CMYK without a profile goes through libvips' built-in CMYK profile.
/// </summary>
internal static class Colour
{
    public static VipsImage ToSrgb(VipsImage image, bool useProfiles)
    {
        var current = image;
        var interpretation = current.Interpretation;
        if (useProfiles && (current.HasField("icc-profile-data") || interpretation == Interpretation.Cmyk))
        {
            var inputProfile = interpretation == Interpretation.Cmyk ? "cmyk" : null;
            current = Decode.Replace(current, current.IccToSrgb(inputProfile), keep: image);
            interpretation = current.Interpretation;
        }

        var grey = interpretation is Interpretation.BW or Interpretation.Grey16 && current.Bands <= 2;
        if (grey ? interpretation != Interpretation.BW : interpretation != Interpretation.Srgb)
        {
            current = Decode.Replace(current, current.Colourspace(grey ? "b-w" : "srgb"), keep: image);
        }

        if (current.BandFormat != Interpretation.UChar)
        {
            current = Decode.Replace(current, current.Cast("uchar"), keep: image);
        }

        return current;
    }
}
