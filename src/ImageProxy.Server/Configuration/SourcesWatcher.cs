using ImageProxy.Server.Origins;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Configuration;

/// <summary>
/// Re-reads sources.json when it changes and swaps the registry's sources. A broken edit keeps the
/// last good configuration running and logs why (the message names source and key, never a secret);
/// in-flight requests keep the origin they started with (see <see cref="SourceRegistry.Replace"/>).
/// </summary>
/// <remarks>
/// The whole directory is watched, not only the file's name: a Kubernetes ConfigMap volume never writes
/// sources.json (a symlink into <c>..data/</c>); an update renames a new <c>..data</c> symlink over the old one,
/// and the only event is for <c>..data</c>. Any event in the directory therefore triggers a look at the file's
/// contents, and a reload happens only when they differ from what was last loaded.
/// </remarks>
public sealed class SourcesWatcher(SourceRegistry registry, IOptions<ProxyOptions> options, ILogger<SourcesWatcher> logger) : BackgroundService
{
    /// <summary>Editors save in several steps (truncate, write, rename); wait for the burst to settle.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly SemaphoreSlim _changed = new(0);
    private FileSystemWatcher? _watcher;
    private string? _path;
    private byte[]? _loadedContents;

    /// <summary>
    /// Watches before the host reports itself started, so an edit made right after start-up is seen. Since .NET 10
    /// all of <see cref="ExecuteAsync"/> runs later on the thread pool; a watcher created there missed such edits.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _path = SourcesFileLocator.Locate(options.Value.SourcesFile);
        }
        catch (SourcesFileException)
        {
            return Task.CompletedTask; // start-up already reported it
        }

        _loadedContents = ReadContents(_path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime | NotifyFilters.DirectoryName,
        };
        FileSystemEventHandler onChange = (_, _) => _changed.Release();
        _watcher.Changed += onChange;
        _watcher.Created += onChange;
        _watcher.Renamed += (_, _) => _changed.Release();
        _watcher.EnableRaisingEvents = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _changed.WaitAsync(stoppingToken);
            await Task.Delay(Debounce, stoppingToken);
            while (_changed.CurrentCount > 0)
            {
                await _changed.WaitAsync(stoppingToken);
            }

            // Other files in the directory (a ConfigMap's other keys, editor swap files) also wake us up.
            var contents = ReadContents(_path!);
            if (contents is not null && _loadedContents is not null && contents.AsSpan().SequenceEqual(_loadedContents))
            {
                continue;
            }

            _loadedContents = contents;
            Reload(_path!);
        }
    }

    // Follows the symlinks (sources.json → ..data/sources.json → ..2026_…/sources.json) as any open does.
    private static byte[]? ReadContents(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // mid-swap or removed: Reload reports it if it persists
        }
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
        base.Dispose();
    }

    /// <summary>Loads <paramref name="path"/> and installs it; false (and the old sources kept) when it is invalid.</summary>
    public bool Reload(string path)
    {
        IReadOnlyList<ImageSource> sources;
        try
        {
            sources = SourceRegistry.BuildSources(SourcesFile.Load(path, options.Value.Limits));
        }
        catch (Exception ex) when (ex is SourcesFileException or IOException or DirectoryNotFoundException)
        {
            logger.LogError("Sources file {Path} changed but is invalid; keeping the last good configuration: {Problem}", path, ex.Message);
            return false;
        }

        var old = registry.Replace(sources);
        logger.LogInformation("Sources file {Path} reloaded: {Count} sources", path, sources.Count);
        _ = DisposeLaterAsync(old);
        return true;
    }

    // Requests that routed before the swap may still be fetching through the old origins; give them
    // longer than any source timeout before closing their connection pools.
    private static async Task DisposeLaterAsync(IReadOnlyList<ImageSource> old)
    {
        await Task.Delay(TimeSpan.FromMinutes(2));
        foreach (var source in old)
        {
            (source.Origin as IDisposable)?.Dispose();
        }
    }
}
