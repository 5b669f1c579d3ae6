using System.Diagnostics;
using ImageProxy.FaceEvaluation;
using ImageProxy.Imaging.Faces;
using OpenCvSharp;

// Scores each face-detector candidate on tests/faces (precision and recall at IoU 0.5) and measures its CPU time per
// image on the detection copy (≤ 640 px on the long side). Usage: dotnet run -c Release -- [tests/faces] [cascade dir] [repeats]
// With "crop IMAGE..." instead: CPU per render of a plain crop, a face crop detecting afresh, and a face crop whose boxes
// are cached (the cost every further variant of the original pays).
if (args.Length > 0 && args[0] == "crop")
{
    CropCost.Run(args[1..]);
    return;
}

// "render QUERY IN OUT": one render with detection on, to look at.
if (args.Length == 4 && args[0] == "render")
{
    CropCost.RenderOne(args[1], args[2], args[3]);
    return;
}

var setDirectory = args.Length > 0 ? args[0] : "../../tests/faces";
var cascades = args.Length > 1 ? args[1] : "/usr/share/opencv4";
var repeats = args.Length > 2 ? int.Parse(args[2]) : 10;
var set = LabelledImage.Read(setDirectory);

// The detection copies, decoded once: candidates are timed on detection alone.
var copies = set.Select(image =>
{
    var bytes = File.ReadAllBytes(image.File);
    using var probe = NetVips.Image.NewFromBuffer(bytes);
    var copy = NetVips.Image.ThumbnailBuffer(bytes, FaceDetector.DetectionSize, height: FaceDetector.DetectionSize, size: NetVips.Enums.Size.Down).CopyMemory();
    return (Image: image, Copy: copy, ToSource: probe.Width / (double)copy.Width);
}).ToList();

var candidates = new List<(string Name, Func<NetVips.Image, double, IEnumerable<Box>> Detect)>();
foreach (var minScore in new[] { 0.5f, 0.75f })
{
    var full = FaceDetector.LoadDefault(minScore);
    candidates.Add(($"BlazeFace full-range 256 (ONNX Runtime), score ≥ {minScore}", (img, k) => full.Detect(img, k).Select(ToBox)));
    var shortRange = FaceDetector.Load(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", "face_detection_front_128x128_barracuda.onnx")), 128, minScore);
    candidates.Add(($"BlazeFace short-range 128 (ONNX Runtime), score ≥ {minScore}", (img, k) => shortRange.Detect(img, k).Select(ToBox)));
}

foreach (var (file, name) in new[] { ("haarcascades/haarcascade_frontalface_default.xml", "Haar frontalface_default"), ("haarcascades/haarcascade_frontalface_alt2.xml", "Haar frontalface_alt2"), ("lbpcascades/lbpcascade_frontalface_improved.xml", "LBP frontalface_improved") })
{
    var cascade = new CascadeClassifier(Path.Combine(cascades, file));
    candidates.Add(($"{name} (OpenCvSharp4, scale 1.1, 5 neighbours, min 20 px)", (img, k) => Cascade(cascade, img, k)));
}

Console.WriteLine("| Candidate | Precision | Recall | TP | FP | Missed | CPU ms / image |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, detect) in candidates)
{
    var score = new DetectionScore();
    var misses = new List<string>();
    foreach (var c in copies)
    {
        var found = detect(c.Copy, c.ToSource).ToList();
        score.Add(c.Image.Faces, found);
        var single = new DetectionScore();
        single.Add(c.Image.Faces, found);
        if (single.FalsePositives + single.Misses > 0)
        {
            misses.Add($"{Path.GetFileName(c.Image.File)} (FP {single.FalsePositives}, missed {single.Misses})");
        }
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var r = 0; r < repeats; r++)
    {
        foreach (var c in copies)
        {
            _ = detect(c.Copy, c.ToSource).Count();
        }
    }

    var perImage = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (repeats * copies.Count);
    Console.WriteLine($"| {name} | {score.Precision:0.00} | {score.Recall:0.00} | {score.TruePositives} | {score.FalsePositives} | {score.Misses} | {perImage:0.0} |");
    Console.Error.WriteLine($"{name}: {string.Join(", ", misses)}");
}

static Box ToBox(FaceBounds f) => new(f.X, f.Y, f.Width, f.Height, f.Score);

static IEnumerable<Box> Cascade(CascadeClassifier cascade, NetVips.Image image, double toSource)
{
    using var grey = image.Colourspace(NetVips.Enums.Interpretation.Bw);
    using var oneBand = grey.ExtractBand(0).Cast(NetVips.Enums.BandFormat.Uchar);
    var pixels = oneBand.WriteToMemory<byte>();
    using var mat = Mat.FromPixelData(oneBand.Height, oneBand.Width, MatType.CV_8UC1, pixels);
    using var equalised = new Mat();
    Cv2.EqualizeHist(mat, equalised);
    return cascade.DetectMultiScale(equalised, 1.1, 5, minSize: new Size(20, 20))
        .Select(r => new Box(r.X * toSource, r.Y * toSource, r.Width * toSource, r.Height * toSource))
        .ToList();
}
