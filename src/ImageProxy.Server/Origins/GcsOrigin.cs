using System.Globalization;
using System.Net;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Cloud.Storage.V1;
using ImageProxy.Server.Configuration;
using GcsObject = Google.Apis.Storage.v1.Data.Object;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Reads originals from Google Cloud Storage with Google.Cloud.Storage.V1 (<see cref="StorageClient"/>, the
/// JSON API): a service-account key file when the source names one, else Application Default Credentials.
/// A fetch is the object's metadata (which answers a revalidation on its own, through ifGenerationNotMatch),
/// then the media download of exactly that generation. The ETag handed out is the object's generation,
/// the JSON API's own version number, so that the condition can be sent as the SDK sends it.
/// </summary>
public sealed class GcsOrigin : IOrigin, IDisposable
{
    public const string ReadOnlyScope = "https://www.googleapis.com/auth/devstorage.read_only";

    // Retries belong to ResilientOrigin (one policy, one circuit breaker per source for every kind); the SDK's
    // default retry of idempotent reads (up to a minute of back-off) would multiply attempts and outlast the deadline.
    private static readonly RetryOptions NoRetry = RetryOptions.Never;

    private readonly string _sourceName;
    private readonly GcsSourceSettings _settings;
    private readonly object _gate = new();
    private Task<StorageClient>? _client;

    public GcsOrigin(string sourceName, GcsSourceSettings settings)
    {
        _sourceName = sourceName;
        _settings = settings;
    }

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var name = _settings.KeyPrefix + objectKey;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        try
        {
            var client = await ClientAsync().WaitAsync(deadline.Token);
            var unchangedGeneration = GenerationOf(validators.IfNoneMatch);
            var metadata = await client.GetObjectAsync(_settings.Bucket, name,
                new GetObjectOptions { IfGenerationNotMatch = unchangedGeneration, RetryOptions = NoRetry }, deadline.Token);
            var lastModified = metadata.UpdatedDateTimeOffset;
            if (validators.IfNoneMatch is null && validators.IfModifiedSince is { } since && lastModified <= since)
            {
                // The JSON API has no If-Modified-Since for objects; the metadata just read answers it.
                return OriginResult.NotModified(null, lastModified);
            }

            var declared = (long?)metadata.Size;
            if (declared > _settings.MaxBytes)
            {
                throw new SourceTooLargeException(_settings.MaxBytes);
            }

            using var body = new CappedBufferStream(_settings.MaxBytes, declared);
            // Pinned to the generation just read, so the bytes belong to the validators returned with them.
            await client.DownloadObjectAsync(_settings.Bucket, name, body,
                new DownloadObjectOptions { Generation = metadata.Generation }, deadline.Token);
            return OriginResult.Ok(body.ToArray(), ETagOf(metadata), lastModified, metadata.ContentType);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotModified)
        {
            return OriginResult.NotModified(validators.IfNoneMatch, validators.IfModifiedSince);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            if (!await BucketExistsAsync(deadline.Token, cancellationToken))
            {
                // A missing bucket is the operator's mistake, not the visitor's: 502 with a pointer, not a silent 404.
                throw new OriginUnavailableException($"Source '{_sourceName}': bucket '{_settings.Bucket}' does not exist.", ex, transient: false);
            }

            return OriginResult.NotFound;
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': GCS denied access to bucket '{_settings.Bucket}' ({(int)ex.HttpStatusCode}); check the source's credentials.", ex, transient: false);
        }
        catch (GoogleApiException ex) when ((int)ex.HttpStatusCode is >= 400 and < 500 && ex.HttpStatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': GCS answered {(int)ex.HttpStatusCode}.", ex, transient: false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': GCS did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TokenResponseException)
        {
            // No credentials, an unreadable key or a token endpoint that refuses us: a configuration problem, not transient.
            throw new OriginUnavailableException($"Source '{_sourceName}': cannot get a Google access token: {ex.Message}", ex, transient: false);
        }
        catch (Exception ex) when (ex is GoogleApiException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': GCS failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The JSON API answers 404 alike for a missing object and a missing bucket; listing at most one object
    /// tells them apart (objects.list, which a reader role has). Only misses pay for it. When the listing
    /// itself is refused the miss stays a plain 404.
    /// </summary>
    /// <remarks>Runs inside FetchAsync's catch, so it maps its own failures: the deadline passing is still a 504,
    /// anything else leaves the question open and the miss a plain 404.</remarks>
    private async Task<bool> BucketExistsAsync(CancellationToken deadline, CancellationToken caller)
    {
        try
        {
            var client = await ClientAsync();
            var options = new ListObjectsOptions { PageSize = 1, RetryOptions = NoRetry };
            await client.ListObjectsAsync(_settings.Bucket, _settings.KeyPrefix, options).ReadPageAsync(1, deadline);
            return true;
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (OperationCanceledException ex) when (!caller.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': GCS did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is GoogleApiException or HttpRequestException or IOException)
        {
            return true;
        }
    }

    /// <summary>Our ETag for an object: its generation, quoted like any ETag.</summary>
    private static string? ETagOf(GcsObject metadata)
        => metadata.Generation is { } generation ? $"\"{generation.ToString(CultureInfo.InvariantCulture)}\"" : metadata.ETag;

    /// <summary>The generation inside an ETag this origin handed out; null for anything else (then no condition is sent).</summary>
    private static long? GenerationOf(string? etag)
        => etag is not null && long.TryParse(etag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var generation) ? generation : null;

    /// <summary>
    /// Built on first use, not at start-up: ADC may probe the metadata server, which must not happen in
    /// `validate` or block the host. A failed build is not kept, so a passing hiccup does not stick.
    /// </summary>
    private Task<StorageClient> ClientAsync()
    {
        lock (_gate)
        {
            if (_client is null || _client.IsFaulted || _client.IsCanceled)
            {
                _client = BuildAsync();
            }

            return _client;
        }
    }

    private async Task<StorageClient> BuildAsync()
    {
        var builder = new StorageClientBuilder
        {
            BaseUri = _settings.Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/storage/v1/",
            ApplicationName = OriginHttpClient.UserAgent.Replace('/', '-'),
        };
        if (_settings.CredentialsFile is { } file)
        {
            // Typed loading: a key file of an unexpected type (external account, user) is refused instead of trusted.
            var serviceAccount = CredentialFactory.FromFile<ServiceAccountCredential>(file);
            builder.GoogleCredential = serviceAccount.ToGoogleCredential().CreateScoped(ReadOnlyScope);
        }
        else
        {
            builder.GoogleCredential = (await GoogleCredential.GetApplicationDefaultAsync()).CreateScoped(ReadOnlyScope);
        }

        var client = await builder.BuildAsync();
        // One clock for the whole fetch: the deadline in FetchAsync, not the HTTP client's own 100 s.
        client.Service.HttpClient.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_client is { IsCompletedSuccessfully: true })
            {
                _client.Result.Dispose();
            }
        }
    }
}
