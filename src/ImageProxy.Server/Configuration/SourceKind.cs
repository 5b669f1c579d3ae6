namespace ImageProxy.Server.Configuration;

/// <summary>Where a source's originals live; <see cref="SourceKinds"/> says how sources.json spells each.</summary>
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
