using System.Globalization;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Serves originals from a local directory. Security: nothing outside <c>root</c> may ever be read.
/// The key is checked for traversal tricks (<see cref="ObjectKey.IsSafe"/>), then the candidate path is
/// canonicalised with every symlink resolved and must still lie inside the canonical root; a link that
/// leads out is answered exactly like a missing file (404), so probing reveals nothing.
/// </summary>
public sealed class FolderOrigin : IOrigin
{
    private readonly string _root;
    private readonly long _maxBytes;

    public FolderOrigin(string root, long maxBytes)
    {
        // The root may itself sit behind symlinks (e.g. /srv/images -> /mnt/disk1/images); compare
        // against its canonical form or every legitimate file would look like an escape.
        _root = RealPath.Resolve(root) ?? throw new DirectoryNotFoundException($"Folder origin root '{root}' cannot be resolved.");
        _maxBytes = maxBytes;
    }

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var candidate = Path.Combine(_root, objectKey.Replace('/', Path.DirectorySeparatorChar));
        var resolved = RealPath.Resolve(candidate);
        if (resolved is null || !RealPath.IsInside(resolved, _root))
        {
            return OriginResult.NotFound;
        }

        var file = new FileInfo(resolved);
        if (!file.Exists)
        {
            return OriginResult.NotFound;
        }

        if (file.Length > _maxBytes)
        {
            throw new SourceTooLargeException(_maxBytes);
        }

        // HTTP dates have whole seconds; truncate so If-Modified-Since round-trips exactly.
        var lastModified = DateTimeOffset.FromUnixTimeSeconds(new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeSeconds());
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");

        if (validators.IfNoneMatch is not null ? validators.IfNoneMatch == etag : validators.IfModifiedSince >= lastModified)
        {
            return OriginResult.NotModified(etag, lastModified);
        }

        try
        {
            var bytes = await ReadCappedAsync(resolved, cancellationToken);
            return OriginResult.Ok(bytes, etag, lastModified, contentType: null);
        }
        catch (FileNotFoundException)
        {
            return OriginResult.NotFound; // deleted between the stat and the read
        }
        catch (DirectoryNotFoundException)
        {
            return OriginResult.NotFound;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OriginUnavailableException($"Folder origin cannot read '{objectKey}': {ex.Message}", ex);
        }
    }

    // The file may grow after the length check; count while reading so the cap holds regardless. No FileStream buffer
    // (bufferSize 1): the reader asks for the whole file into one array, and a buffer in between would only add a copy.
    private async Task<byte[]> ReadCappedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, useAsync: true);
        return await CappedReader.ReadAllAsync(stream, _maxBytes, stream.Length, cancellationToken);
    }
}
