using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Documents;

/// <summary>palette and fm=blurhash: documents about the processed picture (imgix extracts the palette after processing).</summary>
internal static class DocumentRenderer
{
    /// <summary>With no size asked, documents work on the picture fitted into this box: never a full-size decode.</summary>
    public const int UnsizedBox = 256;

    /// <summary>Pixels sampled for the palette (at most 64×64).</summary>
    private const int PaletteSide = 64;

    /// <summary>Pixels sampled for BlurHash: the hash keeps a handful of cosine terms, so 32 px a side is plenty.</summary>
    private const int BlurHashSide = 32;

    /// <summary>The plan a document renders with: an unsized request is fitted into <see cref="UnsizedBox"/> (never enlarged).</summary>
    public static TransformPlan ForDocument(TransformPlan plan) =>
        plan.WantsDocument && plan.Width is null && plan.Height is null
            ? plan with { Width = SizeValue.Pixels(UnsizedBox), Height = SizeValue.Pixels(UnsizedBox), Fit = FitMode.Max }
            : plan;

    public static RenderResult Describe(VipsImage image, TransformPlan plan)
    {
        if (plan.Palette.Format != PaletteFormat.None)
        {
            var (rgb, _, _) = SmallPicture.Read(image, PaletteSide);
            var (body, contentType) = PaletteDocument.Build(rgb, plan.Palette);
            return new RenderResult(body, ImageFormat.Png, image.Width, image.Height) { ContentType = contentType };
        }

        var (pixels, w, h) = SmallPicture.Read(image, BlurHashSide);
        // Four components along the long side and three along the short one, the encoder's usual choice for photos.
        var (x, y) = w >= h ? (4, 3) : (3, 4);
        var hash = BlurHash.Encode(pixels, w, h, x, y);
        return new RenderResult(System.Text.Encoding.ASCII.GetBytes(hash), ImageFormat.Png, image.Width, image.Height) { ContentType = "text/plain; charset=utf-8" };
    }
}
