using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Reads originals from an S3 bucket with AWSSDK.S3: AWS itself, or any S3-compatible store through
/// serviceUrl + forcePathStyle (MinIO, Ceph RGW, R2, Wasabi, Spaces, GCS interoperability).
/// </summary>
public sealed class S3Origin : IOrigin, IDisposable
{
    private readonly string _sourceName;
    private readonly S3SourceSettings _settings;
    private readonly AmazonS3Client _client;

    public S3Origin(string sourceName, S3SourceSettings settings)
    {
        _sourceName = sourceName;
        _settings = settings;
        var config = new AmazonS3Config
        {
            // Retries belong to ResilientOrigin (one policy, one circuit breaker per source); SDK retries
            // underneath would multiply them.
            MaxErrorRetry = 0,
            // One clock for the whole fetch: the deadline in GetAsync. With the SDK's own HttpClient timeout set to
            // the same value the two raced, and when the SDK's won it threw a bare TimeoutException (a 500 then).
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            ForcePathStyle = settings.ForcePathStyle,
        };
        if (settings.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.ToString();
            config.AuthenticationRegion = settings.Region;
            // Non-AWS stores do not all understand the SDK's default flexible checksums (Ceph 16 rejects
            // them, GCS interop ignores them); "when required" keeps plain GETs portable.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        // Without keys the SDK walks its default chain: environment, profile, web identity, instance role.
        _client = settings.AccessKeyId is not null
            ? new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var request = new GetObjectRequest { BucketName = _settings.Bucket, Key = _settings.KeyPrefix + objectKey };
        if (validators.IfNoneMatch is not null)
        {
            request.EtagToNotMatch = validators.IfNoneMatch;
        }
        else if (validators.IfModifiedSince is { } since)
        {
            request.ModifiedSinceDate = since.UtcDateTime;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        try
        {
            using var response = await _client.GetObjectAsync(request, deadline.Token);
            if (response.ContentLength > _settings.MaxBytes)
            {
                throw new SourceTooLargeException(_settings.MaxBytes);
            }

            var bytes = await CappedReader.ReadAllAsync(response.ResponseStream, _settings.MaxBytes, response.ContentLength, deadline.Token);
            DateTimeOffset? lastModified = response.LastModified is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc).ToUniversalTime()) : null;
            return OriginResult.Ok(bytes, response.ETag, lastModified, response.Headers.ContentType);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotModified)
        {
            // AWSSDK.S3 throws on 304 instead of returning a response; an unchanged original is an ordinary answer.
            return OriginResult.NotModified(validators.IfNoneMatch, validators.IfModifiedSince);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        {
            return OriginResult.NotFound;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': S3 denied access to bucket '{_settings.Bucket}' ({ex.ErrorCode}); check the source's credentials.", ex, transient: false);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': bucket '{_settings.Bucket}' does not exist.", ex, transient: false);
        }
        catch (AmazonServiceException ex) when ((int)ex.StatusCode is >= 400 and < 500 && ex.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': S3 answered {(int)ex.StatusCode} {ex.ErrorCode}.", ex, transient: false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // TimeoutException: what the SDK makes of a timeout of its own (none is set, but a future default must not become a 500).
            throw new OriginTimeoutException($"Source '{_sourceName}': S3 did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            if (HttpOriginResponse.Find<TimeoutException>(ex) is not null)
            {
                throw new OriginTimeoutException($"Source '{_sourceName}': S3 did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
            }

            throw new OriginUnavailableException($"Source '{_sourceName}': S3 failed: {ex.Message}", ex);
        }
    }

    public void Dispose() => _client.Dispose();
}
