using ImageProxy.Transform;
using NetVips;

namespace ImageProxy.Imaging.Steps;

/// <summary>Step 1 of the order: apply an EXIF orientation (1–8) and then the plan's flip.</summary>
internal static class Orient
{
    /// <summary>True when applying <paramref name="orientation"/> or <paramref name="flip"/> reads pixels out of order.</summary>
    public static bool NeedsRandomAccess(int orientation, FlipMode flip) =>
        orientation is not (1 or 2) || flip.HasFlag(FlipMode.Vertical);

    public static VipsImage Apply(VipsImage image, int orientation)
    {
        // EXIF orientation n says how the stored pixels must be turned for display: 6 = 90° clockwise, 8 = 270°,
        // 3 = 180°, 2/4 = mirror, 5 = transpose (90° + mirror), 7 = transverse (270° + mirror).
        return orientation switch
        {
            2 => image.Flip(Enums.Direction.Horizontal),
            3 => image.Rot(Enums.Angle.D180),
            4 => image.Flip(Enums.Direction.Vertical),
            5 => Then(image.Rot(Enums.Angle.D90), i => i.Flip(Enums.Direction.Horizontal)),
            6 => image.Rot(Enums.Angle.D90),
            7 => Then(image.Rot(Enums.Angle.D270), i => i.Flip(Enums.Direction.Horizontal)),
            8 => image.Rot(Enums.Angle.D270),
            _ => image,
        };
    }

    public static VipsImage Flip(VipsImage image, FlipMode flip)
    {
        var current = image;
        if (flip.HasFlag(FlipMode.Horizontal))
        {
            current = current.Flip(Enums.Direction.Horizontal);
        }

        if (flip.HasFlag(FlipMode.Vertical))
        {
            current = Then(current, i => i.Flip(Enums.Direction.Vertical), disposeFirst: !ReferenceEquals(current, image));
        }

        return current;
    }

    private static VipsImage Then(VipsImage first, Func<VipsImage, VipsImage> next, bool disposeFirst = true)
    {
        try
        {
            return next(first);
        }
        finally
        {
            if (disposeFirst)
            {
                first.Dispose();
            }
        }
    }
}
