namespace ImageProxy.Imaging.Steps;

/// <summary>The VipsInterpretation values the colour step distinguishes (numbers from libvips' enum, stable since 8.0).</summary>
internal static class Interpretation
{
    public const int BW = 1;
    public const int Cmyk = 15;
    public const int Srgb = 22;
    public const int Rgb16 = 25;
    public const int Grey16 = 26;

    /// <summary>VipsBandFormat uchar.</summary>
    public const int UChar = 0;
}
