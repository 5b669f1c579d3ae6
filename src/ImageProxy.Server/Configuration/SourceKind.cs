namespace ImageProxy.Server.Configuration;

/// <summary>Where a source's originals live; the sources file spells these in lower case.</summary>
public enum SourceKind
{
    Folder,
    Web,
    S3,
    Gcs,
    Azure,

    /// <summary>imgix "Web Proxy": the key is a whole URL of any image (signing mandatory).</summary>
    Proxy,
}
