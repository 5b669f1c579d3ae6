namespace ImageProxy.Imaging.Interop;

/// <summary>An enum argument given by its libvips nick (e.g. "centre", "d90"); converted with the argument's own enum GType.</summary>
internal readonly record struct VipsEnum(string Nick);
