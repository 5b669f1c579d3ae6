namespace ImageProxy.Server.Configuration;

/// <summary>Where a source's originals live; the sources file spells these in lower case.</summary>
public enum SourceKind
{
    Folder,
    Web,
}
