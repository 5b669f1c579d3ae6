namespace ImageProxy.Server.Diagnostics;

/// <summary>
/// Every log event the proxy writes, with fixed EventIds in blocks per area: 1xxx HTTP, 2xxx origins,
/// 4xxx imaging, 5xxx host. Nothing here takes a query string, a signature or a token: signed URLs
/// and secrets must never reach the logs, and text that failed a signature check is not logged at all.
/// </summary>
internal static partial class Log
{
    // ---- 1xxx HTTP ----

    /// <summary>
    /// The one summary line per request (Http/RequestTelemetry), hits included; the level follows the status (5xx
    /// error, 4xx warning). The path only: the query, where a signature lives, is never logged.
    /// </summary>
    [LoggerMessage(EventId = 1000, EventName = "RequestCompleted",
        Message = "{Method} {Path} source={Source} status={Status} cache={Cache} format={Format} bytes={Bytes} origin={OriginMs:0.0}ms queue={QueueMs:0.0}ms render={RenderMs:0.0}ms total={TotalMs:0.0}ms trace={TraceId}")]
    public static partial void RequestCompleted(
        ILogger logger, LogLevel level, string method, string path, string source, int status, string cache, string format, long bytes,
        double originMs, double queueMs, double renderMs, double totalMs, string traceId);

    /// <summary>
    /// An error answer worth more than the request line (Http/ServerError decides which, and the level): a refused
    /// signature, a missing object, an origin or capacity failure, or an unexpected one with its stack trace.
    /// </summary>
    [LoggerMessage(EventId = 1002, EventName = "RequestError",
        Message = "Request for source {Source} answered {Status}: {Detail}")]
    public static partial void RequestError(ILogger logger, LogLevel level, Exception? exception, string source, int status, string detail);

    /// <summary>A repeat answered by the response memo: nothing but a cache read happened, so no timings.</summary>
    [LoggerMessage(EventId = 1004, EventName = "MemoServed", Level = LogLevel.Debug,
        Message = "GET/HEAD source={Source} status={Status} from the response memo")]
    public static partial void MemoServed(ILogger logger, string source, int status);

    // ---- 2xxx origins ----

    [LoggerMessage(EventId = 2000, EventName = "OriginFetched", Level = LogLevel.Debug,
        Message = "Origin of source {Source} returned {Bytes} bytes in {ElapsedMs:0.0}ms")]
    public static partial void OriginFetched(ILogger logger, string source, long bytes, double elapsedMs);

    [LoggerMessage(EventId = 2002, EventName = "SourceEnabled", Level = LogLevel.Information,
        Message = "Source {Source} enabled: kind={Kind} prefix={Prefix} signed={Signed} cacheMaxAge={CacheMaxAge}s")]
    public static partial void SourceEnabled(ILogger logger, string source, string kind, string prefix, bool signed, long cacheMaxAge);

    [LoggerMessage(EventId = 2003, EventName = "SourcesLoaded", Level = LogLevel.Information,
        Message = "Loaded {Count} source(s) from {Path}")]
    public static partial void SourcesLoaded(ILogger logger, int count, string path);

    // ---- 3xxx caching ----

    [LoggerMessage(EventId = 3000, EventName = "CacheDiskUnwritable", Level = LogLevel.Warning,
        Message = "Cache directory {CacheDir} is not writable ({Reason}); serving goes on without disk caching")]
    public static partial void CacheDiskUnwritable(ILogger logger, string cacheDir, string reason);

    [LoggerMessage(EventId = 3001, EventName = "CacheDiskWritable", Level = LogLevel.Information,
        Message = "Cache directory {CacheDir} is writable again")]
    public static partial void CacheDiskWritable(ILogger logger, string cacheDir);

    [LoggerMessage(EventId = 3002, EventName = "CacheEntryRejected", Level = LogLevel.Warning,
        Message = "Cache entry {Key} in the {Tier} tier failed its check ({Reason}); deleted, it will be rendered again")]
    public static partial void CacheEntryRejected(ILogger logger, string tier, string key, string reason);

    [LoggerMessage(EventId = 3003, EventName = "CacheReadFailed", Level = LogLevel.Warning,
        Message = "Cache {Tier} operation failed: {Reason}")]
    public static partial void CacheReadFailed(ILogger logger, string tier, string reason);

    [LoggerMessage(EventId = 3004, EventName = "CacheEvicted", Level = LogLevel.Information,
        Message = "Disk cache janitor evicted {Count} entries; {Bytes} bytes remain (budget {Budget})")]
    public static partial void CacheEvicted(ILogger logger, int count, long bytes, long budget);

    [LoggerMessage(EventId = 3005, EventName = "RedisCircuitOpened", Level = LogLevel.Warning,
        Message = "Redis {Operation} failed ({Reason}); going on without Redis for a while")]
    public static partial void RedisCircuitOpened(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 3006, EventName = "CachePurgeReceived", Level = LogLevel.Information,
        Message = "Purge from another node: source {Source} object {ObjectHash}")]
    public static partial void CachePurgeReceived(ILogger logger, string source, string objectHash);

    [LoggerMessage(EventId = 3007, EventName = "CachePurged", Level = LogLevel.Information,
        Message = "Purged source {Source} object {ObjectHash}")]
    public static partial void CachePurged(ILogger logger, string source, string objectHash);

    [LoggerMessage(EventId = 3008, EventName = "StaleServedOnOriginError", Level = LogLevel.Warning,
        Message = "Origin of source {Source} failed ({Reason}); its cached variant stays in use past max-age (stale-if-error)")]
    public static partial void StaleServedOnOriginError(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3009, EventName = "PurgeWebhookFailed", Level = LogLevel.Warning,
        Message = "CDN purge webhook failed: {Reason}")]
    public static partial void PurgeWebhookFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3011, EventName = "CdnPurgeFailed", Level = LogLevel.Warning,
        Message = "CDN purge through {Provider} failed: {Reason}")]
    public static partial void CdnPurgeFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3010, EventName = "BackgroundRevalidationFailed", Level = LogLevel.Warning,
        Message = "Background revalidation for source {Source} failed ({ExceptionType}: {Reason}); the next request tries again")]
    public static partial void BackgroundRevalidationFailed(ILogger logger, string source, string exceptionType, string reason);

    // ---- 4xxx imaging ----

    [LoggerMessage(EventId = 4000, EventName = "LibvipsReady", Level = LogLevel.Information,
        Message = "libvips {Version} loaded from {LibraryPath}; loaders: {Loaders}; savers: {Savers}")]
    public static partial void LibvipsReady(ILogger logger, string version, string libraryPath, string loaders, string savers);

    [LoggerMessage(EventId = 4001, EventName = "HealthProbeFailed", Level = LogLevel.Warning,
        Message = "libvips health probe failed: {Reason}")]
    public static partial void HealthProbeFailed(ILogger logger, string reason);

    // ---- 5xxx host ----

    [LoggerMessage(EventId = 5000, EventName = "CacheDirectoryConfigured", Level = LogLevel.Information,
        Message = "Disk result cache in {CacheDir}")]
    public static partial void CacheDirectoryConfigured(ILogger logger, string cacheDir);
}
