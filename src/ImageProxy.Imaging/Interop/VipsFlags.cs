namespace ImageProxy.Imaging.Interop;

/// <summary>A flags argument given by its numeric value (e.g. keep = 0 for "none").</summary>
internal readonly record struct VipsFlags(uint Value);
