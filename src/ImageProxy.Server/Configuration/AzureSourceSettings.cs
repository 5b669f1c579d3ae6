namespace ImageProxy.Server.Configuration;

/// <summary>An Azure Blob Storage container.</summary>
/// <param name="Endpoint">Blob service URL: https://{account}.blob.core.windows.net by default; for Azurite it includes the account.</param>
/// <param name="SharedKey">Base64 account key (Shared Key signing); a secret.</param>
/// <param name="SasToken">SAS query string without the leading '?'; a secret.</param>
/// <param name="Anonymous">Public container: no credentials at all.</param>
/// <remarks>Neither key, SAS nor anonymous = Entra ID through a TokenCredential (DefaultAzureCredential); the endpoint must be https then.</remarks>
public sealed record AzureSourceSettings(
    string AccountName,
    string Container,
    Uri Endpoint,
    string? SharedKey,
    string? SasToken,
    bool Anonymous,
    string KeyPrefix,
    TimeSpan Timeout,
    long MaxBytes) : SourceSettings
{
    public string AuthMode => SharedKey is not null ? "sharedKey" : SasToken is not null ? "sasToken" : Anonymous ? "anonymous" : "entra";

    public override string ToString() => $"azure {AccountName}/{Container} ({AuthMode})";
}
