using System.Text.Json;
using System.Text.RegularExpressions;
using ImageProxy.Transform;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// One source of sources.json as written, read by System.Text.Json: polymorphic on "kind" (one subtype per row of
/// <see cref="SourceKinds"/>), each subtype holding the object named after its kind. Members are the file's keys in
/// camelCase; any other key is refused. <see cref="ToDefinition"/> checks the values and resolves them (paths,
/// limits, byte caps) into the <see cref="SourceDefinition"/> the rest of the server uses.
/// A new per-source setting is a property here (with its default) and its counterpart on <see cref="SourceDefinition"/>.
/// </summary>
internal abstract partial record SourceEntry
{
    public string? Name { get; init; }

    public string? PathPrefix { get; init; }

    public List<string>? SecureTokens { get; init; }

    /// <summary>Values may be strings, numbers or booleans; they are kept as their text.</summary>
    public Dictionary<string, JsonElement>? DefaultParams { get; init; }

    public long? CacheMaxAge { get; init; }

    public LimitsEntry? Limits { get; init; }

    public string? UnsupportedParameters { get; init; }

    public bool FaceDetection { get; init; } = true;

    /// <summary>Pango markup in txt is interpreted rather than drawn as typed (off by default: txt is untrusted).</summary>
    public bool TextMarkup { get; init; }

    /// <summary>Optional libvips loaders this source may reach (<see cref="RenderingSwitches.LoaderNames"/>).</summary>
    public List<string>? EnableLoaders { get; init; }

    /// <summary>Hosts whose absolute URLs mark, blend and mask may name (<see cref="OverlayHostsSetting"/>).</summary>
    public List<string>? OverlayHosts { get; init; }

    /// <summary>The kind's own object, checked, with the source's byte limit as the default cap.</summary>
    protected abstract SourceSettings Settings(SourceContext context);

    public SourceDefinition ToDefinition(SourceCheck check, string baseDirectory, Limits global)
    {
        var prefix = NormalisePrefix(check, check.Required(PathPrefix, "pathPrefix"));
        var tokens = SecureTokens ?? [];
        if (tokens.Any(string.IsNullOrWhiteSpace))
        {
            // An empty token makes every signature computable by anyone: refuse rather than pretend to be secure.
            throw check.Error("secureTokens", "must not contain an empty token");
        }

        if (this is ProxySourceEntry && tokens.Count == 0)
        {
            // An unsigned proxy source fetches any URL for anyone: an open relay. imgix makes signing mandatory too.
            throw check.Error("secureTokens", "is required for kind 'proxy' (an unsigned web proxy is an open relay)");
        }

        // Resolved here, once: the global limits with the source's own applied; every kind's byte cap defaults to them.
        var limits = RenderingSwitches.Read(check, TextMarkup, EnableLoaders).ApplyTo(Limits?.ApplyTo(global, check) ?? global);
        var settings = Settings(new SourceContext(check, baseDirectory, limits));

        var unsupported = SourceCheck.Optional(UnsupportedParameters) switch
        {
            null or "ignore" => UnsupportedParameterPolicy.Ignore,
            "reject" => UnsupportedParameterPolicy.Reject,
            var other => throw check.Error("unsupportedParameters", $"'{other}' is not 'ignore' or 'reject'"),
        };

        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in DefaultParams ?? [])
        {
            defaults[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => throw check.Error($"defaultParams.{name}", "must be a string, number or boolean"),
            };
        }

        // Build an empty request with the defaults once now, so a bad default is a start-up error rather
        // than a 400 on every request of the source.
        if (defaults.Count > 0 && PlanBuilder.Build(new ParsedRequest([], null), defaults, unsupported: unsupported).Error is { } defaultsError)
        {
            throw check.Error("defaultParams", $"is invalid: {defaultsError.Message}");
        }

        return new SourceDefinition(Name!, prefix, settings)
        {
            SecureTokens = tokens,
            DefaultParams = defaults,
            CacheMaxAge = check.AtLeast(CacheMaxAge, 0, SourcesFile.DefaultCacheMaxAge, "cacheMaxAge"),
            Limits = limits,
            UnsupportedParameters = unsupported,
            FaceDetection = FaceDetection,
            OverlayHosts = OverlayHostsSetting.Check(check, OverlayHosts ?? []),
        };
    }

    private static string NormalisePrefix(SourceCheck check, string prefix)
    {
        if (!prefix.StartsWith('/'))
        {
            throw check.Error("pathPrefix", "must start with '/'");
        }

        // Prefixes are matched against the raw (still-encoded) path, so only characters that never need
        // encoding can ever match; anything else would be a prefix that silently serves nothing.
        if (!PrefixPattern().IsMatch(prefix))
        {
            throw check.Error("pathPrefix", "may contain only letters, digits, '-', '_', '.', '~' and '/'");
        }

        var trimmed = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
        if (trimmed.Length > 1 && trimmed.Split('/').Skip(1).Any(s => s is "" or "." or ".."))
        {
            throw check.Error("pathPrefix", "must not contain empty, '.' or '..' segments");
        }

        if (trimmed.Equals(SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith(SourcesFile.ReservedPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            throw check.Error("pathPrefix", $"'{SourcesFile.ReservedPrefix}/' is reserved for the proxy's own endpoints");
        }

        return trimmed;
    }

    [GeneratedRegex(@"^/[A-Za-z0-9._~/-]*$")]
    private static partial Regex PrefixPattern();
}

/// <summary>What a kind's settings are resolved with: the checks (for messages), the file's directory and the source's limits.</summary>
internal sealed record SourceContext(SourceCheck Check, string BaseDirectory, Limits Limits);

internal sealed record FolderSourceEntry : SourceEntry
{
    public FolderEntry? Folder { get; init; }

    protected override SourceSettings Settings(SourceContext context) => context.Check.Required(Folder, "folder").Resolve(context);
}

internal sealed record WebSourceEntry : SourceEntry
{
    public WebEntry? Web { get; init; }

    public bool AllowPrivateAddresses { get; init; }

    protected override SourceSettings Settings(SourceContext context)
        => context.Check.Required(Web, "web").Resolve(context) with { AllowPrivateAddresses = AllowPrivateAddresses };
}

internal sealed record ProxySourceEntry : SourceEntry
{
    public ProxyEntry? Proxy { get; init; }

    public bool AllowPrivateAddresses { get; init; }

    protected override SourceSettings Settings(SourceContext context)
        => context.Check.Required(Proxy, "proxy").Resolve(context) with { AllowPrivateAddresses = AllowPrivateAddresses };
}

internal sealed record S3SourceEntry : SourceEntry
{
    public S3Entry? S3 { get; init; }

    protected override SourceSettings Settings(SourceContext context) => context.Check.Required(S3, "s3").Resolve(context);
}

internal sealed record GcsSourceEntry : SourceEntry
{
    public GcsEntry? Gcs { get; init; }

    protected override SourceSettings Settings(SourceContext context) => context.Check.Required(Gcs, "gcs").Resolve(context);
}

internal sealed record AzureSourceEntry : SourceEntry
{
    public AzureEntry? Azure { get; init; }

    protected override SourceSettings Settings(SourceContext context) => context.Check.Required(Azure, "azure").Resolve(context);
}

/// <summary>
/// A source's "limits": overrides of the global <see cref="Transform.Limits"/>, each optional. A source can be stricter
/// (user uploads) or looser (a trusted archive of large scans) than the rest.
/// </summary>
internal sealed record LimitsEntry(
    long? MaxSourceBytes = null,
    long? MaxSourcePixels = null,
    long? MaxSourceFrames = null,
    long? MaxOutputSide = null,
    long? MaxOutputPixels = null,
    double? MaxDpr = null)
{
    public Limits ApplyTo(Limits global, SourceCheck check)
    {
        if (MaxDpr is < 1 or > 10)
        {
            throw check.Error("limits.maxDpr", "must be a number from 1 to 10");
        }

        long Value(long? value, long fallback, string key) => check.AtLeast(value, 1, fallback, $"limits.{key}");
        int Small(long? value, int fallback, string key) => (int)Math.Min(Value(value, fallback, key), int.MaxValue);
        return global with
        {
            MaxSourceBytes = Value(MaxSourceBytes, global.MaxSourceBytes, "maxSourceBytes"),
            MaxSourcePixels = Value(MaxSourcePixels, global.MaxSourcePixels, "maxSourcePixels"),
            MaxSourceFrames = Small(MaxSourceFrames, global.MaxSourceFrames, "maxSourceFrames"),
            MaxOutputSide = Small(MaxOutputSide, global.MaxOutputSide, "maxOutputSide"),
            MaxOutputPixels = Value(MaxOutputPixels, global.MaxOutputPixels, "maxOutputPixels"),
            MaxDpr = MaxDpr ?? global.MaxDpr,
        };
    }
}
