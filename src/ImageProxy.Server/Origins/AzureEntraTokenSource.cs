using Azure.Core;
using Azure.Identity;

namespace ImageProxy.Server.Origins;

/// <summary>
/// Entra ID bearer tokens for Blob Storage from DefaultAzureCredential (environment, workload identity,
/// managed identity, Azure CLI...). Tokens are cached until five minutes before they expire.
/// </summary>
public sealed class AzureEntraTokenSource(TokenCredential? credential = null) : IAccessTokenSource
{
    private static readonly TokenRequestContext StorageScope = new(["https://storage.azure.com/.default"]);
    private readonly Lazy<TokenCredential> _credential = new(() => credential ?? new DefaultAzureCredential());
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AccessToken _token;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            return _token.Token;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
            {
                _token = await _credential.Value.GetTokenAsync(StorageScope, cancellationToken);
            }

            return _token.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
