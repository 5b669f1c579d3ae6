using System.Net;
using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Fetches originals over HTTP(S) from baseUrl + key. The key is re-encoded per segment, so a decoded
/// '?' or '#' stays part of the path instead of starting a query, and ObjectKey has already refused
/// '.'/'..' segments, so the request can never climb above the base URL's path.
/// </summary>
public sealed class WebOrigin(IHttpClientFactory clientFactory, WebSourceSettings settings) : IOrigin
{
    public async Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken)
    {
        if (!ObjectKey.IsSafe(objectKey))
        {
            return OriginResult.NotFound;
        }

        var url = BuildUrl(settings.BaseUrl, objectKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (validators.IfNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", validators.IfNoneMatch);
        }

        if (validators.IfModifiedSince is { } since)
        {
            request.Headers.IfModifiedSince = since;
        }

        // One deadline covers headers and body: a server that trickles bytes is as slow as one that never answers.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            var client = clientFactory.CreateClient(OriginHttpClient.Name);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await ReadResponseAsync(response, url, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Origin {url.Host} did not answer within {settings.Timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OriginUnavailableException($"Origin {url.Host} failed: {ex.Message}", ex);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Origin {url.Host} broke off the body: {ex.Message}", ex);
        }
    }

    /// <summary>baseUrl (with or without trailing '/') + each key segment percent-encoded.</summary>
    public static Uri BuildUrl(Uri baseUrl, string objectKey)
    {
        var encodedKey = string.Join('/', objectKey.Split('/').Select(Uri.EscapeDataString));
        var basePart = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{basePart}/{encodedKey}", UriKind.Absolute);
    }

    private async Task<OriginResult> ReadResponseAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        var etag = response.Headers.ETag?.ToString();
        var lastModified = response.Content.Headers.LastModified;
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotModified:
                return OriginResult.NotModified(etag, lastModified);
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                return OriginResult.NotFound;
            case >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices:
                break;
            default:
                throw new OriginUnavailableException($"Origin {url.Host} answered {(int)response.StatusCode}.");
        }

        // Refuse early when the origin admits the size; still count below, because Content-Length can lie or be absent.
        var declared = response.Content.Headers.ContentLength;
        if (declared > settings.MaxBytes)
        {
            throw new SourceTooLargeException(settings.MaxBytes);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var bytes = await CappedReader.ReadAllAsync(body, settings.MaxBytes, declared, cancellationToken);
        return OriginResult.Ok(bytes, etag, lastModified, response.Content.Headers.ContentType?.MediaType);
    }
}
