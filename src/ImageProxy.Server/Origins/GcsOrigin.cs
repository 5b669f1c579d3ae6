using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Reads originals from Google Cloud Storage through the JSON API media download:
/// GET {endpoint}/storage/v1/b/{bucket}/o/{object}?alt=media. The object name is ONE path segment,
/// fully percent-encoded ('/' becomes %2F), as the API requires.
/// </summary>
public sealed class GcsOrigin(string sourceName, GcsSourceSettings settings, IAccessTokenSource tokens, HttpMessageHandler? handler = null)
    : IOrigin, IDisposable
{
    private readonly HttpClient _client = CreateClient(handler);

    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var url = BuildUrl(settings.Endpoint, settings.Bucket, settings.KeyPrefix + objectKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new("Bearer", await tokens.GetTokenAsync(deadline.Token));
            HttpOriginResponse.AddValidators(request, validators);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await HttpOriginResponse.ReadAsync(sourceName, response, settings.MaxBytes, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{sourceName}': GCS did not answer within {settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Source '{sourceName}': GCS failed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Google.GoogleApiException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
        {
            // No credentials, an unreadable key or a token endpoint that refuses us: a configuration problem, not transient.
            throw new OriginUnavailableException($"Source '{sourceName}': cannot get a Google access token: {ex.Message}", ex, transient: false);
        }
    }

    public static Uri BuildUrl(Uri endpoint, string bucket, string objectName)
    {
        var basePart = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{basePart}/storage/v1/b/{Uri.EscapeDataString(bucket)}/o/{Uri.EscapeDataString(objectName)}?alt=media", UriKind.Absolute);
    }

    private static HttpClient CreateClient(HttpMessageHandler? handler)
    {
        var client = handler is null
            ? new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler, disposeHandler: false);
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.ParseAdd(OriginHttpClient.UserAgent);
        return client;
    }

    public void Dispose() => _client.Dispose();
}
