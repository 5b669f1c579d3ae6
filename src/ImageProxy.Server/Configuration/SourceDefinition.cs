using ImageProxy.Transform;

namespace ImageProxy.Server.Configuration;

/// <summary>One validated entry of the sources file, with everything resolved once, when the file was loaded.</summary>
/// <param name="PathPrefix">Starts with '/', no trailing '/' (except the catch-all "/").</param>
/// <param name="Settings">The kind's own settings; the kind follows from their type (<see cref="SourceKinds"/>).</param>
public sealed record SourceDefinition(string Name, string PathPrefix, SourceSettings Settings)
{
    public SourceKind Kind => SourceKinds.KindOf(Settings);

    /// <summary>Signing tokens; empty = the source serves unsigned URLs. Never log these.</summary>
    public IReadOnlyList<string> SecureTokens { get; init; } = [];

    /// <summary>imgix parameters applied before the URL's own (the URL wins).</summary>
    public IReadOnlyDictionary<string, string> DefaultParams { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds for Cache-Control max-age on successful responses.</summary>
    public long CacheMaxAge { get; init; } = SourcesFile.DefaultCacheMaxAge;

    /// <summary>The limits this source's requests run under: the global ones with the source's "limits" applied, and its
    /// rendering switches ("textMarkup", "enableLoaders").</summary>
    public Limits Limits { get; init; } = Limits.Default;

    /// <summary>sources.json "unsupportedParameters": ignore (imgix's behaviour, default) or reject imgix parameters this build does not implement.</summary>
    public UnsupportedParameterPolicy UnsupportedParameters { get; init; }

    /// <summary>sources.json "faceDetection" (default true); false: crop=faces, fit=facearea and face-blur/-pixel act as
    /// if no face were found, and fm=json lists none.</summary>
    public bool FaceDetection { get; init; } = true;

    /// <summary>sources.json "overlayHosts": hosts whose absolute URLs mark, blend and mask may name (empty = none; paths
    /// in this source are always allowed).</summary>
    public IReadOnlyList<string> OverlayHosts { get; init; } = [];

    public bool RequiresSignature => SecureTokens.Count > 0;

    public FolderSourceSettings? Folder => Settings as FolderSourceSettings;

    public WebSourceSettings? Web => Settings as WebSourceSettings;

    public ProxySourceSettings? Proxy => Settings as ProxySourceSettings;

    public S3SourceSettings? S3 => Settings as S3SourceSettings;

    public GcsSourceSettings? Gcs => Settings as GcsSourceSettings;

    public AzureSourceSettings? Azure => Settings as AzureSourceSettings;

    // Records print every member; tokens must never reach a log line through ToString.
    public override string ToString() => $"{Name} ({SourceKinds.NameOf(Kind)}, {PathPrefix})";
}
