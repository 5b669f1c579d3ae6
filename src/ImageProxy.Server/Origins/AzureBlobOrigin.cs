using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Reads originals from Azure Blob Storage with a small REST client (Azure.Storage.Blobs cannot be
/// restored here, and Get Blob is one request): GET {endpoint}/{container}/{blob} with x-ms-version,
/// authorised by Shared Key, a SAS token, an Entra ID bearer token, or nothing (public container).
/// </summary>
public sealed class AzureBlobOrigin : IOrigin, IDisposable
{
    /// <summary>A service version Azure and Azurite 3.x both accept; pinned so responses do not change under us.</summary>
    public const string ServiceVersion = "2021-12-02";

    private readonly string _sourceName;
    private readonly AzureSourceSettings _settings;
    private readonly byte[]? _key;
    private readonly IAccessTokenSource? _tokens;
    private readonly HttpClient _client;

    /// <param name="tokens">For Entra ID auth (neither key, SAS nor anonymous); null = DefaultAzureCredential.</param>
    public AzureBlobOrigin(string sourceName, AzureSourceSettings settings, IAccessTokenSource? tokens = null, HttpMessageHandler? handler = null)
    {
        _sourceName = sourceName;
        _settings = settings;
        _key = settings.SharedKey is null ? null : Convert.FromBase64String(settings.SharedKey);
        _tokens = settings.AuthMode == "entra" ? tokens ?? new AzureEntraTokenSource() : null;
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = Timeout.InfiniteTimeSpan;
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(OriginHttpClient.UserAgent);
    }

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var url = BuildUrl(_settings.Endpoint, _settings.Container, _settings.KeyPrefix + objectKey, _settings.SasToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("x-ms-version", ServiceVersion);
            request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R"));
            HttpOriginResponse.AddValidators(request, validators);
            if (_key is not null)
            {
                AzureSharedKeySigner.Sign(request, _settings.AccountName, _key);
            }
            else if (_tokens is not null)
            {
                request.Headers.Authorization = new("Bearer", await _tokens.GetTokenAsync(deadline.Token));
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound && ErrorCode(response) is "ContainerNotFound" or "ResourceNotFound")
            {
                // A missing container is the operator's mistake, not the visitor's: 502 with a pointer, not a silent 404.
                throw new OriginUnavailableException($"Source '{_sourceName}': container '{_settings.Container}' does not exist.", transient: false);
            }

            return await HttpOriginResponse.ReadAsync(_sourceName, response, _settings.MaxBytes, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': Azure did not answer within {_settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': Azure failed: {ex.Message}", ex);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': cannot get an Entra ID token: {ex.Message}", ex, transient: false);
        }
    }

    /// <summary>endpoint + "/" + container + "/" + blob name with each segment percent-encoded ('/' stays a virtual folder).</summary>
    public static Uri BuildUrl(Uri endpoint, string container, string blobName, string? sasToken)
    {
        var basePart = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var query = string.IsNullOrEmpty(sasToken) ? string.Empty : "?" + sasToken;
        return new Uri($"{basePart}/{Uri.EscapeDataString(container)}/{ObjectKey.EscapeSegments(blobName)}{query}", UriKind.Absolute);
    }

    private static string? ErrorCode(HttpResponseMessage response)
        => response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _client.Dispose();
}
