namespace ImageProxy.Server.Configuration;

/// <summary>A Google Cloud Storage bucket read through the JSON API (Google.Cloud.Storage.V1).</summary>
/// <param name="CredentialsFile">Service-account JSON key file; null = Application Default Credentials.</param>
/// <param name="Endpoint">JSON API base URL (https://storage.googleapis.com, or a private/test endpoint).</param>
public sealed record GcsSourceSettings(
    string Bucket,
    string? CredentialsFile,
    Uri Endpoint,
    string KeyPrefix,
    TimeSpan Timeout,
    long MaxBytes) : SourceSettings
{
    public static readonly Uri DefaultEndpoint = new("https://storage.googleapis.com");
}
