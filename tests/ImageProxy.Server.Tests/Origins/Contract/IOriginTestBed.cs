using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>One kind of origin plus the real (or faithful fake) server behind it, as the contract tests need it.</summary>
public interface IOriginTestBed : IAsyncDisposable
{
    /// <summary>The source name the bed's origins carry; failures must name it.</summary>
    string SourceName { get; }

    /// <summary>A value that must never appear in an error message (a secret of the denied origin), or null.</summary>
    string? Secret { get; }

    /// <summary>Connects to the service (or starts the fake); ignores/fails via <see cref="RequiredService"/> when absent.</summary>
    Task StartAsync();

    /// <summary>Stores an object under its exact key (already including any root prefix).</summary>
    Task PutAsync(string key, byte[] bytes, string contentType);

    /// <summary>An origin whose keys are read below <paramref name="keyPrefix"/>.</summary>
    IOrigin CreateOrigin(string keyPrefix, long maxBytes);

    /// <summary>An origin with credentials the service refuses.</summary>
    IOrigin CreateDeniedOrigin(string keyPrefix);

    /// <summary>What the origin is asked for, for a stored key below <paramref name="keyPrefix"/> (the proxy kind wants a URL).</summary>
    string KeyFor(string keyPrefix, string key) => key;
}

/// <summary>A kind whose objects live in a bucket or container that the source names (s3, gcs, azure).</summary>
public interface IBucketOriginTestBed : IOriginTestBed
{
    /// <summary>A bucket/container name that does not exist on the service.</summary>
    string MissingBucket { get; }

    /// <summary>An origin with working credentials whose bucket/container does not exist.</summary>
    IOrigin CreateOriginOnMissingBucket(string keyPrefix);
}
