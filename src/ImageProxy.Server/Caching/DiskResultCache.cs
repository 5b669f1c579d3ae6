using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using ImageProxy.Server.Diagnostics;

namespace ImageProxy.Server.Caching;

/// <summary>
/// L1, per node: &lt;dir&gt;/v1/&lt;hash[0..2]&gt;/&lt;object hash&gt;/&lt;key&gt;.entry. All entries of one object share a directory,
/// so a purge is one directory delete. Writes go to &lt;dir&gt;/tmp and are renamed into place: a crash leaves
/// at most an orphaned temp file, never a half-written entry under a real name. If the disk is full or
/// read-only, writes are suspended for a while and a warning is logged once; reads keep working.
/// The SHA-256 of a file is checked on its first read only: the file is then remembered by (length,
/// modification time) with its metadata, and a later read of the same file reads just the body, with neither hash
/// nor parse. Any rewrite (a rename into place, an edit, a truncation) changes one of the two, so the file is
/// verified again; a new process verifies afresh. Up to a thousand verified files stay open (as nginx's
/// open_file_cache keeps them), and are closed when they change, are purged, evicted or deleted here. A file that
/// another process replaces or deletes keeps being read through the old handle until then: still the content
/// stored under that key, and never past its expiry.
/// </summary>
public sealed class DiskResultCache : IResultCache, IDisposable
{
    private static readonly TimeSpan WriteSuspension = TimeSpan.FromSeconds(30);
    private readonly string _entriesRoot;
    private readonly string _tempRoot;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    // Bounds the verified-file memory; past it the table is simply cleared (files are then verified once more).
    private const int MaxVerified = 100_000;
    private readonly ConcurrentDictionary<string, long> _lastUsed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VerifiedFile> _verified = new(StringComparer.Ordinal);
    // Handles of recently served verified files, as nginx's open_file_cache keeps them: a hit then costs no open/close.
    private readonly LruTable<string, OpenFile> _open = new(MaxOpenFiles, open => open.Handle.Dispose());
    private const int MaxOpenFiles = 1000;
    private static readonly TimeSpan TouchGranularity = TimeSpan.FromSeconds(1);
    private long _writesSuspendedUntilTicks;
    private int _warnedUnwritable;

    public DiskResultCache(string directory, TimeProvider clock, ILogger<DiskResultCache> logger)
    {
        Directory = Path.GetFullPath(directory);
        _entriesRoot = Path.Combine(Directory, "v1");
        _tempRoot = Path.Combine(Directory, "tmp");
        _clock = clock;
        _logger = logger;
        try
        {
            System.IO.Directory.CreateDirectory(_entriesRoot);
            System.IO.Directory.CreateDirectory(_tempRoot);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SuspendWrites(ex);
        }
    }

    public string Directory { get; }

    private long _bytesAtLastSweep;
    private long _evictions;

    /// <summary>Bytes of live entries as the janitor last counted them (a sweep walks the tree; nothing else does).</summary>
    public long BytesAtLastSweep => Interlocked.Read(ref _bytesAtLastSweep);

    /// <summary>Entries the janitor has evicted to stay under the byte budget, since start-up.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    internal void RecordSweep(long bytes, int evicted)
    {
        Interlocked.Exchange(ref _bytesAtLastSweep, bytes);
        Interlocked.Add(ref _evictions, evicted);
    }

    internal string EntriesRoot => _entriesRoot;

    internal string TempRoot => _tempRoot;

    public async ValueTask<(CacheEntry? Entry, CacheTier Tier)> GetWithTierAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken) =>
        await GetAsync(sourceObject, key, cancellationToken) is { } entry ? (entry, CacheTier.Disk) : (null, CacheTier.None);

    public async Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key, CancellationToken cancellationToken)
    {
        var path = EntryPath(sourceObject, key);
        var now = _clock.GetUtcNow();
        if (_open.TryGet(path, out var open))
        {
            if (ReadThroughOpenHandle(open) is { } known && known.Metadata.ExpiresAt > now)
            {
                Touch(path, now);
                return known;
            }

            // Changed, expired or closed under us: the full read below decides what it is now.
            _open.Remove(path, open);
        }

        CacheEntry? entry;
        string? failure = null;
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var kept = false;
            try
            {
                var stamp = StampOf(handle);
                var verified = _verified.TryGetValue(path, out var seen) && seen.Stamp == stamp ? seen : null;
                entry = verified is null ? null : ReadKnownBody(handle, verified);
                if (entry is null)
                {
                    var stored = await ReadAllAsync(handle, stamp.Length, cancellationToken);
                    entry = CacheEntryCodec.Decode(stored, key, out failure);
                    if (entry is not null && stored.Length == stamp.Length)
                    {
                        if (_verified.Count >= MaxVerified)
                        {
                            _verified.Clear();
                        }

                        verified = new VerifiedFile(stamp, entry.Metadata, stored.Length - entry.Body.Length);
                        _verified[path] = verified;
                    }
                }

                kept = entry is not null && verified is not null && _open.Set(path, new OpenFile(handle, verified), 1);
            }
            finally
            {
                if (!kept)
                {
                    handle.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CacheReadFailed(_logger, "disk", ex.Message);
            return null;
        }

        if (entry is null || entry.Metadata.ExpiresAt <= now)
        {
            // Never serve it; delete so the next request renders a good copy.
            if (entry is null)
            {
                Log.CacheEntryRejected(_logger, "disk", key, failure ?? "unknown");
            }

            Forget(path);
            TryDelete(path);
            return null;
        }

        Touch(path, now);
        return entry;
    }

    /// <summary>
    /// The body through a handle kept open since the file was verified, when the file still has the stamp it had
    /// then (one fstat pair and one pread: no open, lock or close). Null if it changed or the handle was closed meanwhile.
    /// </summary>
    private static CacheEntry? ReadThroughOpenHandle(OpenFile open)
    {
        try
        {
            return StampOf(open.Handle) == open.Verified.Stamp ? ReadKnownBody(open.Handle, open.Verified) : null;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            return null;
        }
    }

    private static FileStamp StampOf(SafeFileHandle handle) => new(RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle).Ticks);

    /// <summary>
    /// A file this process verified before and that still has the same length and modification time: its metadata
    /// is known, so only the body is read (no JSON, no SHA-256). Null if it reads short, which sends the caller
    /// down the full read and check.
    /// </summary>
    /// <remarks>
    /// A synchronous read: the body is small (the file was just stat-ed and is almost always in the page cache),
    /// and going through the thread pool for it cost more than the read itself.
    /// </remarks>
    private static CacheEntry? ReadKnownBody(SafeFileHandle handle, VerifiedFile known)
    {
        var body = new byte[known.Metadata.BodyLength];
        var read = 0;
        while (read < body.Length)
        {
            var n = RandomAccess.Read(handle, body.AsSpan(read), known.BodyOffset + read);
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return new CacheEntry(known.Metadata, body);
    }

    /// <summary>Up to <paramref name="length"/> bytes (the length just stat-ed); fewer if the file shrank meanwhile, which the codec then rejects.</summary>
    private static async Task<byte[]> ReadAllAsync(SafeFileHandle handle, long length, CancellationToken cancellationToken)
    {
        if (length > Array.MaxLength)
        {
            throw new IOException("cache file too large");
        }

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read, cancellationToken);
            if (n == 0)
            {
                return bytes[..read];
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>The janitor's LRU order needs seconds, not ticks: under a burst of hits, one shared-table write a second is enough.</summary>
    private void Touch(string path, DateTimeOffset now)
    {
        if (!_lastUsed.TryGetValue(path, out var last) || now.UtcTicks - last >= TouchGranularity.Ticks)
        {
            _lastUsed[path] = now.UtcTicks;
        }
    }

    private readonly record struct FileStamp(long Length, long ModifiedTicks);

    /// <summary>What the first, checked read of a file established: its (length, mtime), metadata and where its body starts.</summary>
    private sealed record VerifiedFile(FileStamp Stamp, CacheEntryMetadata Metadata, long BodyOffset);

    /// <summary>A verified file's handle, kept open for the next hits (owned by <see cref="_open"/>, which closes it when it leaves).</summary>
    private sealed record OpenFile(SafeFileHandle Handle, VerifiedFile Verified);

    public async Task SetAsync(SourceObject sourceObject, CacheEntry entry, CancellationToken cancellationToken)
    {
        if (_clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _writesSuspendedUntilTicks))
        {
            return;
        }

        var path = EntryPath(sourceObject, entry.Metadata.Key);
        // The writer's process id leads the name, so after a crash the janitor can tell the dead writer's leftovers at once.
        var temp = Path.Combine(_tempRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temp, CacheEntryCodec.Encode(entry), CancellationToken.None);
            MoveIntoPlace(temp, path);
            _verified.TryRemove(path, out _);
            _open.Remove(path);
            _lastUsed[path] = _clock.GetUtcNow().UtcTicks;
            if (Interlocked.Exchange(ref _warnedUnwritable, 0) == 1)
            {
                Log.CacheDiskWritable(_logger, Directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            SuspendWrites(ex);
        }
    }

    public Task PurgeAsync(SourceObject sourceObject, CancellationToken cancellationToken)
    {
        var directory = ObjectDirectory(sourceObject);
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CacheReadFailed(_logger, "disk purge", ex.Message);
        }

        foreach (var path in _lastUsed.Keys.Where(p => p.StartsWith(directory, StringComparison.Ordinal)))
        {
            _lastUsed.TryRemove(path, out _);
        }

        foreach (var path in _verified.Keys.Where(p => p.StartsWith(directory, StringComparison.Ordinal)))
        {
            _verified.TryRemove(path, out _);
        }

        _open.RemoveWhere((path, _) => path.StartsWith(directory, StringComparison.Ordinal));

        return Task.CompletedTask;
    }

    /// <summary>When the entry at <paramref name="path"/> was last written or served (for LRU-ish eviction).</summary>
    /// <remarks>Entries this process wrote or served are ordered by its own clock; older ones (from before a restart) by file time.</remarks>
    internal DateTimeOffset LastUsed(string path, DateTime lastWriteUtc) =>
        _lastUsed.TryGetValue(path, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : new DateTimeOffset(lastWriteUtc, TimeSpan.Zero);

    internal void Forget(string path)
    {
        _lastUsed.TryRemove(path, out _);
        _verified.TryRemove(path, out _);
        _open.Remove(path);
    }

    /// <summary>Closes the kept handles.</summary>
    public void Dispose() => _open.Clear();

    internal string EntryPath(SourceObject sourceObject, string key)
    {
        // The key becomes a file name: only our own fixed names and hex keys may get this far.
        if (!CacheAddresses.IsValid(key))
        {
            throw new ArgumentException("Not a cache key.", nameof(key));
        }

        return Path.Combine(ObjectDirectory(sourceObject), key + ".entry");
    }

    private string ObjectDirectory(SourceObject sourceObject) =>
        Path.Combine(_entriesRoot, sourceObject.Hash[..2], sourceObject.Hash);

    private static void MoveIntoPlace(string temp, string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            // A purge removed the object directory between the create and the move; the write still belongs.
            System.IO.Directory.CreateDirectory(directory);
            File.Move(temp, path, overwrite: true);
        }
    }

    private void SuspendWrites(Exception ex)
    {
        Interlocked.Exchange(ref _writesSuspendedUntilTicks, (_clock.GetUtcNow() + WriteSuspension).UtcTicks);
        if (Interlocked.Exchange(ref _warnedUnwritable, 1) == 0)
        {
            Log.CacheDiskUnwritable(_logger, Directory, ex.Message);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
