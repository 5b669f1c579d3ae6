using Google.Apis.Auth.OAuth2;

namespace ImageProxy.Server.Origins;

/// <summary>
/// OAuth tokens for the GCS JSON API from Google.Apis.Auth: a service-account key file when the source
/// names one, else Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's user
/// credentials, or the metadata server on GCE/GKE/Cloud Run). The library caches and refreshes tokens.
/// </summary>
public sealed class GoogleTokenSource(string? credentialsFile) : IAccessTokenSource
{
    public const string ReadOnlyScope = "https://www.googleapis.com/auth/devstorage.read_only";

    // Created on first use: ADC probing may touch the network, which must not happen at start-up or in `validate`.
    private readonly Lazy<Task<ITokenAccess>> _credential = new(() => CreateAsync(credentialsFile));

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var credential = await _credential.Value;
        return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
    }

    private static async Task<ITokenAccess> CreateAsync(string? credentialsFile)
    {
        if (credentialsFile is not null)
        {
            // Typed loading: a key file of an unexpected type (external account, user) is refused instead of trusted.
            var serviceAccount = CredentialFactory.FromFile<ServiceAccountCredential>(credentialsFile);
            return serviceAccount.ToGoogleCredential().CreateScoped(ReadOnlyScope);
        }

        var adc = await GoogleCredential.GetApplicationDefaultAsync();
        return adc.CreateScoped(ReadOnlyScope);
    }
}
