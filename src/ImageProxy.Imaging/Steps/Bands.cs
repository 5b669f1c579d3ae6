using NetVips;
namespace ImageProxy.Imaging.Steps;

/// <summary>Band-layout helpers shared by the issue-11 steps (inputs are 8-bit sRGB or grey, with or without alpha).</summary>
internal static class Bands
{
    /// <summary>Runs <paramref name="colorOp"/> on the three sRGB colour bands and puts the alpha (if any) back unchanged; the result is uchar.</summary>
    public static VipsImage OnColor(VipsImage image, Func<VipsImage, VipsImage> colorOp)
    {
        using var srgb = image.Bands <= 2 ? image.Colourspace(Enums.Interpretation.Srgb) : null;
        var source = srgb ?? image;
        if (!source.HasAlpha())
        {
            using var done = colorOp(source);
            return ToUChar(done);
        }

        using var color = source.ExtractBand(0, 3);
        using var alpha = source.ExtractBand(3);
        using var result = colorOp(color);
        using var cast = ToUChar(result);
        return cast.BandJoin(alpha);
    }

    /// <summary>
    /// Maps through a lookup table and tags the result as sRGB (or grey): maplut hands on the table's own interpretation
    /// (a matrix), which savers and later colour steps would misread.
    /// </summary>
    public static VipsImage MapLut(VipsImage image, VipsImage lut)
    {
        using var mapped = image.Maplut(lut);
        return mapped.Tagged(mapped.Bands <= 2 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
    }

    /// <summary>A uchar copy (values clipped by libvips' cast), or a new reference when it already is uchar.</summary>
    public static VipsImage ToUChar(VipsImage image) =>
        image.IsUChar() ? image.Linear([1], [0], uchar: true) : image.ToUChar();

    /// <summary>
    /// A 256-entry lookup table with one band per image band: <paramref name="curve"/> (0–1 in, 0–1 out) for colour
    /// bands, identity for alpha, so a single maplut changes the colours and leaves transparency alone.
    /// </summary>
    public static VipsImage Lut(int bands, bool hasAlpha, Func<double, double> curve)
    {
        var colorTable = new double[1, 256];
        var identity = new double[1, 256];
        for (var i = 0; i < 256; i++)
        {
            colorTable[0, i] = Math.Round(Math.Clamp(curve(i / 255.0), 0, 1) * 255);
            identity[0, i] = i;
        }

        VipsImage? lut = null;
        for (var band = 0; band < bands; band++)
        {
            using var one = VipsOps.Matrix(hasAlpha && band == bands - 1 ? identity : colorTable);
            var joined = lut is null ? one.Linear([1], [0]) : lut.BandJoin(one);
            lut?.Dispose();
            lut = joined;
        }

        using var table = lut!;
        return table.ToUChar();
    }
}
