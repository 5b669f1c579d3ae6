using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Reads originals from Azure Blob Storage with Azure.Storage.Blobs (<see cref="BlobClient"/>), authorised by
/// Shared Key (<see cref="StorageSharedKeyCredential"/>), a SAS token (<see cref="AzureSasCredential"/>), an
/// Entra ID <see cref="TokenCredential"/> (DefaultAzureCredential unless one is given), or nothing (public container).
/// </summary>
public sealed class AzureBlobOrigin : IOrigin, IDisposable
{
    /// <summary>A service version Azure and Azurite 3.x both accept; pinned so responses do not change under us
    /// (the SDK's default is newer than the Azurite that test.sh installs knows).</summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2021_12_02;

    private readonly string _sourceName;
    private readonly AzureSourceSettings _settings;
    private readonly HttpClient _http;
    private readonly BlobContainerClient _container;

    /// <param name="credential">For Entra ID auth (neither key, SAS nor anonymous); null = DefaultAzureCredential,
    /// created here but asked for a token only on the first fetch.</param>
    public AzureBlobOrigin(string sourceName, AzureSourceSettings settings, TokenCredential? credential = null, HttpMessageHandler? handler = null)
    {
        _sourceName = sourceName;
        _settings = settings;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler, disposeHandler: false);
        // One clock for the whole fetch: the deadline in FetchAsync.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _container = CreateContainerClient(settings, Options(_http), credential);
    }

    /// <summary>The SDK's pipeline set up the way every origin here behaves (see docs/sources.md "Retries").</summary>
    public static BlobClientOptions Options(HttpClient http)
    {
        var options = new BlobClientOptions(ServiceVersion) { Transport = new HttpClientTransport(http) };
        // Retries belong to ResilientOrigin: one policy and one circuit breaker per source for every kind. The
        // SDK's own (3 tries with back-off by default) underneath would multiply attempts (3 x 3), spend the
        // source's deadline on back-off, and hide failing origins from the breaker. Its download stream also
        // resumes a broken body under this same setting, which zero turns off.
        options.Retry.MaxRetries = 0;
        // The SDK's per-try network timeout (100 s) would be a second clock racing the source's deadline.
        options.Retry.NetworkTimeout = Timeout.InfiniteTimeSpan;
        options.Diagnostics.ApplicationId = "ImageProxy";
        return options;
    }

    private static BlobContainerClient CreateContainerClient(AzureSourceSettings settings, BlobClientOptions options, TokenCredential? credential)
    {
        var uri = ContainerUri(settings.Endpoint, settings.Container);
        return settings.AuthMode switch
        {
            "sharedKey" => new BlobContainerClient(uri, new StorageSharedKeyCredential(settings.AccountName, settings.SharedKey), options),
            // As a credential, not in the URL: the SDK then adds it to each request and keeps it out of the client's Uri.
            "sasToken" => new BlobContainerClient(uri, new AzureSasCredential(settings.SasToken!), options),
            "anonymous" => new BlobContainerClient(uri, options),
            _ => new BlobContainerClient(uri, credential ?? new DefaultAzureCredential(), options),
        };
    }

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var blob = _container.GetBlobClient(_settings.KeyPrefix + objectKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        try
        {
            var options = new BlobDownloadOptions { Conditions = Conditions(validators) };
            var response = await blob.DownloadStreamingAsync(options, deadline.Token);
            if (response.GetRawResponse().Status == (int)HttpStatusCode.NotModified)
            {
                // A failed condition comes back as a response without a body (its Value would throw): an ordinary answer.
                return OriginResult.NotModified(validators.IfNoneMatch, validators.IfModifiedSince);
            }

            using var download = response.Value;
            var declared = download.Details.ContentLength;
            if (declared > _settings.MaxBytes)
            {
                throw new SourceTooLargeException(_settings.MaxBytes);
            }

            var bytes = await CappedReader.ReadAllAsync(download.Content, _settings.MaxBytes, declared, deadline.Token);
            return OriginResult.Ok(bytes, download.Details.ETag.ToString("H"), download.Details.LastModified, download.Details.ContentType);
        }
        catch (RequestFailedException ex) when (_settings.AuthMode == "anonymous" && (ex.Status == (int)HttpStatusCode.Forbidden || ex.ErrorCode is "ContainerNotFound" or "ResourceNotFound"))
        {
            // To an anonymous caller Azure does not say whether a container exists: a private one and a missing one look
            // alike (404 ResourceNotFound on Azure, 403 on Azurite). Either way the operator has to act: 502, not 404.
            throw new OriginUnavailableException(
                $"Source '{_sourceName}': container '{_settings.Container}' does not exist or does not allow anonymous reads ({ex.Status} {ex.ErrorCode}).", ex, transient: false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound && ex.ErrorCode is not ("ContainerNotFound" or "ResourceNotFound"))
        {
            return OriginResult.NotFound;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            // A missing container is the operator's mistake, not the visitor's: 502 with a pointer, not a silent 404.
            throw new OriginUnavailableException($"Source '{_sourceName}': container '{_settings.Container}' does not exist ({ex.ErrorCode}).", ex, transient: false);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': Azure denied access to container '{_settings.Container}' ({ex.Status} {ex.ErrorCode}); check the source's credentials.", ex, transient: false);
        }
        catch (RequestFailedException ex) when (ex.Status is >= 400 and < 500 and not ((int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests))
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': Azure answered {ex.Status} {ex.ErrorCode}.", ex, transient: false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': Azure did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': cannot get an Entra ID token: {ex.Message}", ex, transient: false);
        }
        catch (RequestFailedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Status 0 is the SDK's wrapping of a connection failure; 408, 429 and 5xx may pass.
            var what = ex.Status == 0 ? ex.InnerException?.Message ?? ex.Message : $"{ex.Status} {ex.ErrorCode}";
            throw new OriginUnavailableException($"Source '{_sourceName}': Azure failed: {what}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': Azure failed: {ex.Message}", ex);
        }
    }

    /// <summary>The caller's validators as the SDK's conditions; an ETag decides alone when both are given (RFC 9110 13.2.2).</summary>
    private static BlobRequestConditions? Conditions(OriginValidators validators)
    {
        if (validators.IfNoneMatch is { } etag)
        {
            return new BlobRequestConditions { IfNoneMatch = new ETag(etag) };
        }

        return validators.IfModifiedSince is { } since ? new BlobRequestConditions { IfModifiedSince = since } : null;
    }

    /// <summary>endpoint + "/" + container; the SDK escapes blob names itself ('/' stays a virtual folder).</summary>
    public static Uri ContainerUri(Uri endpoint, string container)
        => new($"{endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{Uri.EscapeDataString(container)}", UriKind.Absolute);

    public void Dispose() => _http.Dispose();
}
