using ImageProxy.Server.Diagnostics;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Keeps the disk tier healthy in the background: drops expired entries and temp files orphaned by a
/// crash, then evicts least recently used entries until the directory is under its byte budget.
/// </summary>
public sealed class DiskCacheJanitor(DiskResultCache disk, IOptions<CachingOptions> options, TimeProvider clock, ILogger<DiskCacheJanitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.ResultCache.JanitorIntervalSeconds));
        // First sweep at start-up clears what a crash left behind.
        do
        {
            try
            {
                Sweep();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.CacheReadFailed(logger, "janitor", ex.Message);
            }
        }
        while (await WaitAsync(interval, stoppingToken));
    }

    /// <summary>One pass; returns the bytes left. Public so tests and the warm command can run it synchronously.</summary>
    public long Sweep()
    {
        var now = clock.GetUtcNow();
        var budget = options.Value.ResultCache.MaxDiskBytes;
        DeleteOrphans();

        var live = new List<(string Path, long Length, DateTimeOffset LastUsed)>();
        if (Directory.Exists(disk.EntriesRoot))
        {
            foreach (var file in new DirectoryInfo(disk.EntriesRoot).EnumerateFiles("*.entry", SearchOption.AllDirectories))
            {
                if (IsExpiredOrBroken(file.FullName, now))
                {
                    Delete(file.FullName);
                    continue;
                }

                live.Add((file.FullName, file.Length, disk.LastUsed(file.FullName, file.LastWriteTimeUtc)));
            }
        }

        var total = live.Sum(e => e.Length);
        var evicted = 0;
        foreach (var (path, length, _) in live.OrderBy(e => e.LastUsed))
        {
            if (total <= budget)
            {
                break;
            }

            Delete(path);
            total -= length;
            evicted++;
        }

        if (evicted > 0)
        {
            Log.CacheEvicted(logger, evicted, total, budget);
        }

        disk.RecordSweep(total, evicted);

        return total;
    }

    private static bool IsExpiredOrBroken(string path, DateTimeOffset now)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            var metadata = CacheEntryCodec.ReadMetadata(stream);
            return metadata is null || metadata.ExpiresAt <= now;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private void DeleteOrphans()
    {
        if (!Directory.Exists(disk.TempRoot))
        {
            return;
        }

        foreach (var file in new DirectoryInfo(disk.TempRoot).EnumerateFiles())
        {
            // Young temp files are writes in progress, unless their writer (named by pid) is gone: that is what a
            // kill -9 leaves, and it goes at the next start-up sweep. Old ones go whoever wrote them (wall-clock time).
            if (DateTime.UtcNow - file.LastWriteTimeUtc > OrphanAge || WriterIsGone(file.Name))
            {
                Delete(file.FullName);
            }
        }
    }

    private static bool WriterIsGone(string name)
    {
        var dash = name.IndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out var pid) || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var writer = System.Diagnostics.Process.GetProcessById(pid);
            return writer.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private void Delete(string path)
    {
        try
        {
            File.Delete(path);
            disk.Forget(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static async Task<bool> WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
