namespace ImageProxy.Server.Configuration;

/// <summary>
/// The sources file cannot be used. The message names the file, the source and the key so that
/// ops staff can fix it without reading code; it never contains a token's value.
/// </summary>
public sealed class SourcesFileException(string message, Exception? inner = null) : Exception(message, inner);
