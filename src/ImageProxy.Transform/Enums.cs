namespace ImageProxy.Transform;

/// <summary>How the source is mapped onto the requested box (imgix <c>fit</c>).</summary>
public enum FitMode { Clip, Crop, Max, Min, Scale, Fill, FillMax, Clamp, FaceArea }

/// <summary>How the crop window is placed when a crop happens (imgix <c>crop</c>).</summary>
public enum CropStrategy
{
    /// <summary>Anchored by <see cref="CropSpec.Horizontal"/> and <see cref="CropSpec.Vertical"/> (centre by default).</summary>
    Position,
    /// <summary>Window centred on the focal point (<c>fp-x</c>, <c>fp-y</c>, zoomed by <c>fp-z</c>), clamped inside the image.</summary>
    FocalPoint,
    /// <summary>libvips smartcrop "entropy".</summary>
    Entropy,
    /// <summary>libvips smartcrop "attention" (edges, skin tones and saturation).</summary>
    Edges,
}

/// <summary>imgix <c>flip</c>.</summary>
[Flags]
public enum FlipMode { None = 0, Horizontal = 1, Vertical = 2, Both = Horizontal | Vertical }

/// <summary>How extra canvas space is filled (imgix <c>fill</c> for fit=fill/fillmax; clamp uses edge extension). fill=gen renders as Blur.</summary>
public enum FillMode { Solid, Blur, Gradient }

/// <summary>Unit of a <see cref="SizeValue"/>.</summary>
public enum SizeUnit { Pixels, Fraction }

/// <summary>Unit of one item of <c>rect</c>.</summary>
public enum RectUnit { Pixels, Fraction, Start, Center, End, Full }
