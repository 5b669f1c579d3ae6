namespace ImageProxy.Server.Configuration;

/// <summary>
/// A source's kind-specific settings, resolved and validated: one sealed record per kind (see
/// <see cref="SourceKinds"/>), each what its origin needs and nothing from the file's spelling.
/// </summary>
public abstract record SourceSettings;
