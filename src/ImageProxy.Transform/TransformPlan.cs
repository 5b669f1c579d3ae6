namespace ImageProxy.Transform;

/// <summary>
/// Everything a request asks of one image, as typed, validated data with value equality.
/// Built by <see cref="PlanBuilder"/> from the query; defaults are the imgix defaults, so two
/// queries that mean the same thing give equal plans (and therefore one cache key).
/// </summary>
public sealed record TransformPlan
{
    public static readonly TransformPlan Default = new();

    // --- size (docs/web.md, imgix: Sizing) ---
    public SizeValue? Width { get; init; }
    public SizeValue? Height { get; init; }
    public FitMode Fit { get; init; } = FitMode.Clip;
    public CropSpec Crop { get; init; } = CropSpec.Center;
    public FocalPoint Focal { get; init; } = FocalPoint.Center;
    /// <summary><c>ar=W:H</c> as W/H; used with fit=crop and fit=fill.</summary>
    public double? AspectRatio { get; init; }
    public double Dpr { get; init; } = 1;
    public RectSpec? Rect { get; init; }
    public int? MaxWidth { get; init; }
    public int? MaxHeight { get; init; }
    public int? MinWidth { get; init; }
    public int? MinHeight { get; init; }

    // --- faces (issue 13) ---
    /// <summary>The fit of <c>fit=facearea,&lt;fit&gt;</c>, used when no face is found; null = an attention crop.</summary>
    public FitMode? FaceFallback { get; init; }
    /// <summary><c>facepad</c>: the face area grows by this factor around its centre (1 = the faces alone).</summary>
    public double FacePad { get; init; } = 1;
    /// <summary><c>faceindex</c>, 1-based, faces largest first; null = the area of all faces.</summary>
    public int? FaceIndex { get; init; }

    /// <summary><c>face-blur</c> 0–100: every face blurred (privacy).</summary>
    public double FaceBlur { get; init; }
    /// <summary><c>face-pixel</c> 0–100: every face pixelated (privacy).</summary>
    public double FacePixel { get; init; }

    /// <summary><c>faces=1</c>: the fm=json document lists the faces.</summary>
    public bool JsonFaces { get; init; }

    /// <summary>True when the geometry depends on where faces are.</summary>
    public bool UsesFaces => Fit == FitMode.FaceArea || (Fit == FitMode.Crop && Crop.Faces);

    /// <summary>True when the source must be run through the face detector.</summary>
    public bool NeedsFaces => UsesFaces || FaceBlur > 0 || FacePixel > 0 || (JsonFaces && Document == DocumentOutput.Json);

    // --- canvas ---
    /// <summary><c>bg</c>: colour behind transparent pixels and padding; null = transparent where the format allows, else white.</summary>
    public Rgba? Background { get; init; }
    public FillMode Fill { get; init; } = FillMode.Solid;
    /// <summary><c>fill-color</c>; null = <see cref="Background"/>, else transparent/white.</summary>
    public Rgba? FillColor { get; init; }
    public Padding Pad { get; init; }
    /// <summary><c>fill=gradient</c> settings (the <c>fill-gradient-*</c> parameters).</summary>
    public GradientSpec Gradient { get; init; } = GradientSpec.Default;
    /// <summary><c>border</c>, <c>border-*</c>.</summary>
    public BorderSpec Border { get; init; } = BorderSpec.None;
    /// <summary><c>mask</c>, <c>corner-radius</c>, <c>mask-bg</c>.</summary>
    public MaskSpec Mask { get; init; } = MaskSpec.None;
    /// <summary><c>trim</c>, <c>trim-*</c>: applied to the source before any sizing.</summary>
    public TrimSpec Trim { get; init; } = TrimSpec.None;

    // --- rotation ---
    /// <summary><c>rot</c> in degrees, applied last (multiples of 90 are exact; others expand the canvas, filled with bg).</summary>
    public double Rotation { get; init; }
    public FlipMode Flip { get; init; }
    /// <summary><c>orient</c>: 1–8 (EXIF semantics) or 90/180/270; null = use the source's EXIF orientation.</summary>
    public int? Orientation { get; init; }
    /// <summary><c>rot-type</c>: how a rotation that is not a multiple of 90° treats the corners.</summary>
    public RotationType RotationType { get; init; }

    // --- adjustments (bounded) ---
    /// <summary><c>blur</c> 0–2000, mapped to a gaussian sigma by the executor.</summary>
    public double Blur { get; init; }
    /// <summary><c>sharp</c> 0–100.</summary>
    public double Sharpen { get; init; }
    /// <summary><c>bri</c>, <c>con</c>, <c>sat</c>, … (imgix "Adjustment" and "Noise reduction").</summary>
    public Adjustments Adjust { get; init; } = Adjustments.None;
    /// <summary><c>monochrome</c>, <c>sepia</c>, <c>duotone</c>, <c>htn</c>, <c>px</c>.</summary>
    public Stylize Style { get; init; } = Stylize.None;

    // --- output ---
    /// <summary><c>fm</c>; null = same as source (or negotiated when <see cref="AutoFormat"/>).</summary>
    public ImageFormat? Format { get; init; }
    /// <summary>True for <c>fm=pjpg</c> (progressive JPEG).</summary>
    public bool Progressive { get; init; }
    public int? Quality { get; init; }
    public bool Lossless { get; init; }
    public bool AutoFormat { get; init; }
    public bool AutoCompress { get; init; }
    /// <summary><c>auto=enhance</c> (and <c>auto=true</c>): automatic levels and contrast.</summary>
    public bool AutoEnhance { get; init; }
    /// <summary><c>chromasub</c>, <c>colorquant</c>, <c>dpi</c> and png8's palette.</summary>
    public EncodingOptions Encoding { get; init; } = EncodingOptions.Default;
    /// <summary><c>fm=json</c> or <c>fm=blurhash</c>: a document about the picture instead of the picture (then <see cref="Format"/> is null).</summary>
    public DocumentOutput Document { get; init; }
    /// <summary><c>palette</c>, <c>colors</c>, <c>prefix</c>: a palette document instead of the picture (wins over <c>fm</c>).</summary>
    public PaletteSpec Palette { get; init; } = PaletteSpec.None;
    /// <summary><c>max-bytes</c>, <c>min-q</c>: a byte budget for the encoded body.</summary>
    public ByteBudget Budget { get; init; } = ByteBudget.None;
    /// <summary><c>txt</c>, <c>txt-*</c>: text over the finished picture.</summary>
    public TextSpec Text { get; init; } = TextSpec.None;
    /// <summary><c>page</c>, <c>pdf-annotation</c>: which page of a PDF source.</summary>
    public PdfOptions Pdf { get; init; } = PdfOptions.Default;
    /// <summary><c>mark</c>, <c>mark-*</c>: a watermark image over the finished picture.</summary>
    public WatermarkSpec Watermark { get; init; } = WatermarkSpec.None;
    /// <summary><c>blend</c>, <c>blend-*</c>: a colour or image layer blended into the picture.</summary>
    public BlendSpec Blend { get; init; } = BlendSpec.None;
    /// <summary>Every other image the render needs (mask, watermark, blend), each fetched through the source's origin.</summary>
    public IEnumerable<(string Parameter, ImageReference Image)> OverlayImages()
    {
        if (Mask.Kind == MaskKind.Image && Mask.Image is { } mask) yield return ("mask", mask);
        if (Watermark.Effective is { } mark) yield return ("mark", mark);
        if (Blend.Image is { } blend) yield return ("blend", blend);
    }
    /// <summary><c>frame</c>, <c>interval</c>, <c>skip</c>, <c>reverse</c>, <c>loop</c>, <c>fps</c> (animated sources).</summary>
    public AnimationSpec Animation { get; init; } = AnimationSpec.None;
    /// <summary>True when the answer is a document (fm=json, fm=blurhash, palette) rather than an encoded image.</summary>
    public bool WantsDocument => Document != DocumentOutput.None || Palette.Format != PaletteFormat.None;
    /// <summary><c>dl</c>: download file name (Content-Disposition: attachment).</summary>
    public string? DownloadName { get; init; }
    /// <summary><c>expires</c>: Unix seconds after which the URL is refused.</summary>
    public long? Expires { get; init; }

    // --- debugging ---
    /// <summary><c>fp-debug</c>: draws the focal point and the crop box on the output.</summary>
    public bool FocalPointDebug { get; init; }
}
