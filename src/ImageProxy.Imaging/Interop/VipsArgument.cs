namespace ImageProxy.Imaging.Interop;

/// <summary>One named input of a libvips operation.</summary>
internal readonly record struct VipsArgument(string Name, object Value, bool Optional);
