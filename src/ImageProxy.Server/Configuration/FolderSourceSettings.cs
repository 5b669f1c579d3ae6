namespace ImageProxy.Server.Configuration;

/// <param name="Root">Absolute directory the source serves from (relative paths were resolved against the sources file's directory).</param>
public sealed record FolderSourceSettings(string Root);
