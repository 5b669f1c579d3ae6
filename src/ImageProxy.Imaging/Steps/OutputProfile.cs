using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>
/// cs and iptc, the last step before the pixels are materialised: converts the pixels for cs=adobergb1998 and leaves on
/// the picture exactly the metadata the output should carry (an ICC profile, a JPEG's IPTC block) and nothing else of
/// the source's, so the saver can keep what is there (<see cref="Encode"/>).
/// </summary>
internal static class OutputProfile
{
    private const string Icc = "icc-profile-data";
    private const string Iptc = "iptc-data";

    /// <summary>What the source brings that the output may keep: its ICC profile (for cs=origin) and IPTC block (iptc=allow).</summary>
    internal sealed record SourceMetadata(byte[]? Profile, byte[]? Iptc);

    /// <summary>
    /// The decoded source's profile when cs=origin can keep it: an RGB profile on colour pixels or a grey one on grey
    /// pixels. CMYK, Lab and mismatched profiles cannot describe an RGB or grey output, so those sources go to sRGB as usual.
    /// </summary>
    public static byte[]? KeepableProfile(VipsImage decoded)
    {
        if (!decoded.Contains(Icc) || decoded.Get(Icc) is not byte[] { Length: >= 128 } profile)
        {
            return null;
        }

        var space = System.Text.Encoding.ASCII.GetString(profile, 16, 4);
        var grey = decoded.Bands <= 2;
        return (space == "RGB " && !grey && decoded.Interpretation != Enums.Interpretation.Cmyk) || (space == "GRAY" && grey) ? profile : null;
    }

    /// <summary>The profile's colour space (header bytes 16–19) is grey.</summary>
    private static bool IsGrey(byte[] profile) => System.Text.Encoding.ASCII.GetString(profile, 16, 4) == "GRAY";

    /// <summary>The source's IPTC block, when iptc=allow asks for it and the source has one (JPEG sources do; libvips reads it there).</summary>
    public static byte[]? SourceIptc(VipsImage decoded, EncodingOptions encoding) =>
        encoding.KeepIptc && decoded.Contains(Iptc) ? decoded.Get(Iptc) as byte[] : null;

    /// <summary>Whether the output keeps any metadata (a profile or IPTC); the saver's keep flags follow from it.</summary>
    public static bool KeepsAny(EncodingOptions encoding, ImageFormat output) => EmbedsProfile(encoding) || KeepsIptc(encoding, output);

    /// <summary>iptc=allow applies to JPEG output, as at imgix ("IPTC data … for JPEG images").</summary>
    public static bool KeepsIptc(EncodingOptions encoding, ImageFormat output) => encoding.KeepIptc && output == ImageFormat.Jpeg;

    public static bool EmbedsProfile(EncodingOptions encoding) => encoding.ColorSpace is not (OutputColorSpace.Default or OutputColorSpace.Strip);

    /// <summary>libvips' own sRGB profile (the full one, about 3 kB), read once.</summary>
    private static readonly Lazy<byte[]> FullSrgb = new(() => VipsImage.ProfileLoad("srgb"));

    public static VipsImage Apply(VipsImage image, EncodingOptions encoding, ImageFormat output, SourceMetadata source)
    {
        var profile = encoding.ColorSpace switch
        {
            OutputColorSpace.Srgb => FullSrgb.Value,
            OutputColorSpace.TinySrgb => IccProfiles.TinySrgb,
            OutputColorSpace.AdobeRgb1998 => IccProfiles.AdobeRgb1998,
            // A source without a (keepable) profile was sRGB-assumed or went to sRGB: the output says so only when the
            // source had a profile at all, else it stays as unlabelled as the source.
            OutputColorSpace.Origin => source.Profile,
            _ => null,
        };
        if (profile is not null && ReferenceEquals(profile, source.Profile) && IsGrey(profile) != image.Bands <= 2)
        {
            // A grey source's profile cannot describe a picture that became colour (a coloured border, text, …).
            profile = FullSrgb.Value;
        }

        var iptc = KeepsIptc(encoding, output) ? source.Iptc : null;
        if (!KeepsAny(encoding, output))
        {
            // No cs or cs=strip, and no IPTC wanted: the saver keeps nothing (Encode), so the picture needs no change.
            return image;
        }

        using var pixels = encoding.ColorSpace == OutputColorSpace.AdobeRgb1998 ? ToAdobeRgb(image) : null;
        using var asRgb = profile is not null && image.Bands <= 2 && !IsGrey(profile)
            ? (pixels ?? image).Colourspace(Enums.Interpretation.Srgb)
            : null;
        var result = asRgb ?? pixels ?? image;
        return result.Mutate(m =>
        {
            // Everything else of the source's goes, so a saver asked to keep the profile or the IPTC keeps nothing more
            // (and libvips 8.14, which only knows strip=false, writes just these).
            foreach (var field in m.GetFields())
            {
                if (field.StartsWith("exif", StringComparison.Ordinal) || field is "orientation" or "xmp-data" or Iptc or Icc)
                {
                    m.Remove(field);
                }
            }

            if (profile is not null)
            {
                m.Set(GValue.BlobType, Icc, profile);
            }

            if (iptc is not null)
            {
                m.Set(GValue.BlobType, Iptc, iptc);
            }
        });
    }

    /// <summary>
    /// sRGB to Adobe RGB (1998): decode the sRGB curve (libvips' scRGB), one 3×3 matrix between the linear spaces,
    /// and encode with Adobe's gamma. Alpha is kept as it is.
    /// </summary>
    private static VipsImage ToAdobeRgb(VipsImage image) => Bands.OnColor(image, rgb =>
    {
        using var linear = rgb.Colourspace(Enums.Interpretation.Scrgb);
        using var adobe = linear.Recomb(IccProfiles.SrgbToAdobeRgbLinear());
        // Negative values (colours outside Adobe RGB; none from sRGB, but rounding) go to 0 before the power, and the
        // cast to uchar clips above 255. (Not libvips clamp: Debian's libvips 8.14 has none.)
        using var positive = adobe.Max0();
        using var encoded = positive.Pow(1 / IccProfiles.AdobeGamma);
        using var scaled = encoded.Linear([255], [0.5]);
        using var cast = scaled.Cast(Enums.BandFormat.Uchar);
        return cast.Tagged(Enums.Interpretation.Srgb);
    });
}
