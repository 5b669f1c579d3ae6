using System.Net.Http.Json;
using ImageProxy.Server.Diagnostics;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Caching;

/// <summary>
/// Tells the CDN in front to drop its copies after a purge: POST {"surrogateKeys":[…]} to the configured
/// URL. A failure is reported to the caller of the purge, never retried silently: the operator must know
/// the CDN may still serve the old image.
/// </summary>
public sealed class AdminPurgeWebhook(IHttpClientFactory clients, IOptions<CachingOptions> options, ILogger<AdminPurgeWebhook> logger)
{
    public const string HttpClientName = "imageproxy-purge-webhook";

    /// <returns>"not configured", "ok" or "failed: …".</returns>
    public async Task<string> NotifyAsync(IReadOnlyCollection<string> surrogateKeys, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.PurgeWebhookUrl))
        {
            return "not configured";
        }

        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .PostAsJsonAsync(options.Value.PurgeWebhookUrl, new { surrogateKeys }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return "ok";
            }

            Log.PurgeWebhookFailed(logger, $"status {(int)response.StatusCode}");
            return $"failed: status {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Log.PurgeWebhookFailed(logger, ex.Message);
            return "failed: " + ex.GetType().Name;
        }
    }
}
