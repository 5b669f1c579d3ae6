using System.Globalization;
using ImageProxy.Client;

namespace ImageProxy.AspNetCore;

/// <summary>What both TagHelpers write for one image: src, srcset and, when the parameters fix them, width and height.</summary>
internal sealed record ResponsiveImage(string Src, string Srcset, int? Width, int? Height)
{
    // Fits whose output is exactly w×h; with the others (clip, max, min) one side follows the source's shape.
    private static readonly HashSet<string> ExactFits = ["crop", "scale", "fill", "fillmax", "clamp", "facearea"];

    public static ResponsiveImage Create(ImageUrlBuilder urls, SrcsetBuilder srcsets, string path, ImageParameters parameters, SrcsetOptions options)
    {
        var (width, height) = Dimensions(parameters);
        return new ResponsiveImage(urls.BuildUrl(path, parameters), srcsets.Build(path, parameters, options), width, height);
    }

    /// <summary>The rendered CSS size the parameters promise (before dpr), so the browser can reserve the box.</summary>
    private static (int? Width, int? Height) Dimensions(ImageParameters parameters)
    {
        var width = Pixels(parameters["w"]);
        var height = Pixels(parameters["h"]);
        var exact = parameters["fit"] is { } fit && ExactFits.Contains(fit.Split(',')[0]);
        if (!exact)
        {
            // fit=clip/max/min: only a side that is given alone is known for sure.
            return width is not null && height is not null ? (null, null) : (width, height);
        }

        if (width is { } w && height is null && AspectRatio(parameters["ar"]) is { } ratio)
        {
            height = (int)Math.Round(w / ratio, MidpointRounding.AwayFromZero);
        }
        else if (height is { } h && width is null && AspectRatio(parameters["ar"]) is { } ratioFromHeight)
        {
            width = (int)Math.Round(h * ratioFromHeight, MidpointRounding.AwayFromZero);
        }

        return (width, height);
    }

    private static int? Pixels(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pixels) && pixels >= 1 ? pixels : null;

    private static double? AspectRatio(string? value)
    {
        var parts = value?.Split(':');
        return parts is [var w, var h]
               && double.TryParse(w, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var width)
               && double.TryParse(h, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var height)
               && width > 0 && height > 0
            ? width / height
            : null;
    }
}
