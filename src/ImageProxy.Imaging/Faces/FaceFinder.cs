using System.Collections.Concurrent;
using System.Security.Cryptography;
using ImageProxy.Transform;
using Microsoft.ML.OnnxRuntime;

namespace ImageProxy.Imaging.Faces;

/// <summary>
/// The faces of each original, detected once: every variant of one original (sizes, crops, formats) asks here, and
/// only the first runs the detector. Keyed by the SHA-256 of the original's bytes, the strongest validator there is,
/// so a changed original is detected again and an unchanged one never is.
/// </summary>
/// <remarks>
/// The detector loads on first use. When it cannot load, <see cref="Find"/> answers "no faces" (the crops' fallbacks
/// apply) and <see cref="LoadError"/> says why, for the ready endpoint: a missing detector never fails a request.
/// </remarks>
public sealed class FaceFinder(Func<FaceDetector> load, int capacity = 4096) : IDisposable
{
    private readonly Lazy<(FaceDetector? Detector, string? Error)> _detector = new(() => TryLoad(load));
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<PixelRect>>> _known = new();
    private readonly ConcurrentQueue<string> _order = new();
    private long _detections;

    public FaceFinder() : this(() => FaceDetector.LoadDefault())
    {
    }

    /// <summary>Times the detector actually ran (not answered from the cache).</summary>
    public long Detections => Interlocked.Read(ref _detections);

    /// <summary>Loads the detector if it is not yet; null when it works, else why it cannot (for the ready endpoint).</summary>
    public string? LoadError => _detector.Value.Error;

    /// <summary>Faces in oriented source pixels, largest first (the order faceindex counts in).</summary>
    public IReadOnlyList<PixelRect> Find(byte[] original)
    {
        var key = Convert.ToHexString(SHA256.HashData(original));
        var entry = _known.GetOrAdd(key, _ => new Lazy<IReadOnlyList<PixelRect>>(() => Detect(original)));
        if (entry.IsValueCreated)
        {
            return entry.Value;
        }

        var faces = entry.Value;
        _order.Enqueue(key);
        // Oldest first out: a bounded map, not an LRU; boxes are tiny and re-detecting a cold original is cheap.
        while (_known.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _known.TryRemove(oldest, out _);
        }

        return faces;
    }

    private IReadOnlyList<PixelRect> Detect(byte[] original)
    {
        if (_detector.Value.Detector is not { } detector)
        {
            return [];
        }

        Interlocked.Increment(ref _detections);
        try
        {
            // ONNX Runtime sessions run concurrently: no lock.
            return detector.Detect(original)
                .OrderByDescending(f => (long)f.Width * f.Height)
                .Select(f => new PixelRect(f.X, f.Y, f.Width, f.Height))
                .ToList();
        }
        catch (Exception ex) when (ex is NetVips.VipsException or OnnxRuntimeException)
        {
            // A picture the detector cannot read has no known faces; the render itself reports a bad source.
            return [];
        }
    }

    private static (FaceDetector?, string?) TryLoad(Func<FaceDetector> load)
    {
        try
        {
            return (load(), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, $"face detector: {ex.GetType().Name}: {ex.Message}");
        }
    }

    public void Dispose()
    {
        if (_detector.IsValueCreated)
        {
            _detector.Value.Detector?.Dispose();
        }
    }
}
