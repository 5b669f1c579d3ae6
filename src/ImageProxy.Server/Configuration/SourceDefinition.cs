namespace ImageProxy.Server.Configuration;

/// <summary>One validated entry of the sources file.</summary>
/// <param name="PathPrefix">Starts with '/', no trailing '/' (except the catch-all "/").</param>
/// <param name="SecureTokens">Signing tokens; empty = the source serves unsigned URLs. Never log these.</param>
/// <param name="DefaultParams">imgix parameters applied before the URL's own (the URL wins).</param>
/// <param name="CacheMaxAge">Seconds for Cache-Control max-age on successful responses.</param>
/// <remarks>The cloud kinds' settings are init properties so that the positional shape older code builds stays valid.</remarks>
public sealed record SourceDefinition(
    string Name,
    string PathPrefix,
    SourceKind Kind,
    FolderSourceSettings? Folder,
    WebSourceSettings? Web,
    IReadOnlyList<string> SecureTokens,
    IReadOnlyDictionary<string, string> DefaultParams,
    long CacheMaxAge)
{
    public S3SourceSettings? S3 { get; init; }

    public GcsSourceSettings? Gcs { get; init; }

    public AzureSourceSettings? Azure { get; init; }

    public ProxySourceSettings? Proxy { get; init; }

    /// <summary>Lets web and proxy sources reach loopback/private addresses (on-prem origins, tests).</summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>sources.json "unsupportedParameters": ignore (imgix's behaviour, default) or reject imgix parameters this build does not implement.</summary>
    public Transform.UnsupportedParameterPolicy UnsupportedParameters { get; init; }

    public bool RequiresSignature => SecureTokens.Count > 0;

    /// <summary>sources.json "faceDetection" (default true); false: crop=faces, fit=facearea and face-blur/-pixel act as
    /// if no face were found, and fm=json lists none.</summary>
    public bool FaceDetection { get; init; } = true;

    /// <summary>sources.json "overlayHosts": hosts whose absolute URLs mark, blend and mask may name (empty = none; paths
    /// in this source are always allowed).</summary>
    public IReadOnlyList<string> OverlayHosts { get; init; } = [];

    /// <summary>This source's overrides of the global limits (sources.json "limits"); null = the global ones.</summary>
    public Security.SourceLimits? Limits { get; init; }

    /// <summary>sources.json "textMarkup" and "enableLoaders" (both off by default).</summary>
    public RenderingSwitches Rendering { get; init; } = RenderingSwitches.Default;

    /// <summary>The limits that apply to this source's requests, with its rendering switches.</summary>
    public Transform.Limits EffectiveLimits(Transform.Limits global) => Rendering.ApplyTo(Limits?.ApplyTo(global) ?? global);

    // Records print every member; tokens must never reach a log line through ToString.
    public override string ToString() => $"{Name} ({Kind.ToString().ToLowerInvariant()}, {PathPrefix})";
}
