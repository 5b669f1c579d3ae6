namespace ImageProxy.Server.Origins;

/// <summary>Bearer tokens for a cloud origin (Google, Entra ID); implementations cache and refresh them.</summary>
public interface IAccessTokenSource
{
    Task<string> GetTokenAsync(CancellationToken cancellationToken);
}
