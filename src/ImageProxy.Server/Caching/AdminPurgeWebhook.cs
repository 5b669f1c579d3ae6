using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageProxy.Server.Diagnostics;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Tells the CDN in front to drop its copies after a purge, through each configured adapter: the generic webhook
/// (POST {"surrogateKeys":[…]} to PurgeWebhookUrl), Fastly (by surrogate key) and Cloudflare (by Cache-Tag or URL).
/// A failure is reported to the caller of the purge, never retried silently: the operator must know the CDN may
/// still serve the old image.
/// </summary>
public sealed class AdminPurgeWebhook(IHttpClientFactory clients, IOptions<CachingOptions> options, ILogger<AdminPurgeWebhook> logger)
{
    public const string HttpClientName = "imageproxy-purge-webhook";

    // The providers' documented per-request maxima.
    private const int FastlyKeysPerRequest = 256;
    private const int CloudflareItemsPerRequest = 30;

    /// <param name="surrogateKeys">The purged objects' tags (Surrogate-Key / Cache-Tag values).</param>
    /// <param name="paths">The purged paths as the client sent them, for URL purges.</param>
    /// <returns>"not configured", "ok" or "failed: fastly: status 403; …" (each adapter that failed, and why).</returns>
    public async Task<string> NotifyAsync(IReadOnlyList<string> surrogateKeys, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var adapters = new List<(string Name, Func<HttpClient, Task> Send)>();
        if (!string.IsNullOrWhiteSpace(settings.PurgeWebhookUrl))
        {
            adapters.Add(("webhook", client => ExpectSuccessAsync(client.PostAsJsonAsync(settings.PurgeWebhookUrl, new { surrogateKeys }, cancellationToken))));
        }

        if (settings.Fastly.IsConfigured)
        {
            adapters.Add(("fastly", client => PurgeFastlyAsync(client, settings.Fastly, surrogateKeys, cancellationToken)));
        }

        if (settings.Cloudflare.IsConfigured)
        {
            adapters.Add(("cloudflare", client => PurgeCloudflareAsync(client, settings.Cloudflare, surrogateKeys, paths, cancellationToken)));
        }

        if (adapters.Count == 0)
        {
            return "not configured";
        }

        var client = clients.CreateClient(HttpClientName);
        var failures = new List<string>();
        foreach (var (name, send) in adapters)
        {
            try
            {
                await send(client);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                var reason = ex is HttpRequestException { StatusCode: { } status } ? $"status {(int)status}" : ex.GetType().Name;
                Log.CdnPurgeFailed(logger, name, reason);
                failures.Add($"{name}: {reason}");
            }
        }

        return failures.Count == 0 ? "ok" : "failed: " + string.Join("; ", failures);
    }

    private static async Task PurgeFastlyAsync(HttpClient client, FastlyPurgeOptions fastly, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var url = $"{fastly.BaseUrl.TrimEnd('/')}/service/{Uri.EscapeDataString(fastly.ServiceId!)}/purge";
        foreach (var batch in keys.Chunk(FastlyKeysPerRequest))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { surrogate_keys = batch }) };
            request.Headers.Add("Fastly-Key", fastly.ApiToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (fastly.SoftPurge)
            {
                request.Headers.Add("Fastly-Soft-Purge", "1");
            }

            await ExpectSuccessAsync(client.SendAsync(request, cancellationToken));
        }
    }

    private static async Task PurgeCloudflareAsync(
        HttpClient client, CloudflarePurgeOptions cloudflare, IReadOnlyList<string> keys, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var url = $"{cloudflare.BaseUrl.TrimEnd('/')}/zones/{Uri.EscapeDataString(cloudflare.ZoneId!)}/purge_cache";
        var items = cloudflare.ByUrl
            ? paths.Select(path => (cloudflare.PublicBaseUrl ?? throw new HttpRequestException("Cloudflare:PublicBaseUrl is not set")).TrimEnd('/') + "/" + path.TrimStart('/')).ToArray()
            : [.. keys];
        foreach (var batch in items.Chunk(CloudflareItemsPerRequest))
        {
            object body = cloudflare.ByUrl ? new { files = batch } : new { tags = batch };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cloudflare.ApiToken);
            await ExpectSuccessAsync(client.SendAsync(request, cancellationToken));
        }
    }

    private static async Task ExpectSuccessAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        response.EnsureSuccessStatusCode();
    }
}
