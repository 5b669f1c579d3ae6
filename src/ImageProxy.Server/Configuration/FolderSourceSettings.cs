namespace ImageProxy.Server.Configuration;

/// <param name="Root">Absolute directory the source serves from (relative paths were resolved against the sources file's directory).</param>
public sealed record FolderSourceSettings(string Root) : SourceSettings
{
    /// <summary>Largest original read from the folder: the source's resolved byte limit.</summary>
    public long MaxBytes { get; init; } = Transform.Limits.Default.MaxSourceBytes;
}
