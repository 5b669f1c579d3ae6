using System.Net;
using Azure.Core;
using Azure.Identity;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// What azurite cannot show about the azure origin's SDK set-up: Entra ID (azurite takes bearer tokens only over
/// HTTPS with its own certificate) and a server answering 503. The SDK's real pipeline runs; only the HTTP
/// exchange is answered in-process, by <see cref="BlobService"/>.
/// </summary>
public sealed class AzureBlobOriginTests
{
    private static readonly byte[] Body = [1, 2, 3, 4, 5];

    private static AzureBlobOrigin Entra(TokenCredential credential, BlobService service)
        => new("entra-source", new AzureSourceSettings("acct", "pics", new Uri("https://acct.blob.core.windows.net"), null, null, false, "", TimeSpan.FromSeconds(5), 1 << 20), credential, service);

    [Test]
    public async Task Entra_id_sends_the_credentials_token_for_the_storage_scope_as_a_bearer()
    {
        var credential = new StaticCredential("entra-token-123");
        using var service = new BlobService(HttpStatusCode.OK);
        using var origin = Entra(credential, service);

        var result = await origin.FetchAsync("a/b.png", OriginValidators.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Bytes, Is.EqualTo(Body));
            Assert.That(service.Authorizations, Is.EqualTo(new[] { "Bearer entra-token-123" }));
            Assert.That(service.Targets, Is.EqualTo(new[] { "https://acct.blob.core.windows.net/pics/a/b.png" }));
            Assert.That(credential.Scopes, Does.Contain("https://storage.azure.com/.default"));
        });
    }

    [Test]
    public void A_credential_that_cannot_get_a_token_is_a_non_transient_failure_naming_the_source()
    {
        using var service = new BlobService(HttpStatusCode.OK);
        using var origin = Entra(new StaticCredential(null), service);

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => origin.FetchAsync("b.png", OriginValidators.None, CancellationToken.None));

        Assert.That(thrown!.Transient, Is.False);
        Assert.That(thrown.Message, Does.Contain("'entra-source'").And.Contain("Entra ID token"));
        Assert.That(service.Targets, Is.Empty, "no request without a token");
    }

    [Test]
    public void A_503_is_asked_once_per_fetch_because_retries_belong_to_the_resilient_origin()
    {
        using var service = new BlobService(HttpStatusCode.ServiceUnavailable);
        using var origin = Entra(new StaticCredential("t"), service);

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => origin.FetchAsync("b.png", OriginValidators.None, CancellationToken.None));

        Assert.That(thrown!.Transient, Is.True);
        Assert.That(service.Targets, Has.Count.EqualTo(1));
    }

    /// <summary>A TokenCredential with a fixed token, or one that fails as DefaultAzureCredential does without any credential.</summary>
    private sealed class StaticCredential(string? token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return token is null
                ? throw new AuthenticationFailedException("no credential in this environment")
                : new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers Get Blob with <see cref="Body"/> (or the given failure status) as the Blob service documents it.</summary>
    private sealed class BlobService(HttpStatusCode status) : HttpMessageHandler
    {
        public List<string> Targets { get; } = [];

        public List<string> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Targets.Add(request.RequestUri!.AbsoluteUri);
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(status == HttpStatusCode.OK ? Body : []) };
            response.Headers.TryAddWithoutValidation("x-ms-request-id", Guid.NewGuid().ToString());
            if (status == HttpStatusCode.OK)
            {
                response.Headers.ETag = new("\"0x8DC0FFEE\"");
                response.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
                response.Content.Headers.ContentType = new("image/png");
                response.Content.Headers.LastModified = DateTimeOffset.UtcNow.AddDays(-1);
            }
            else
            {
                response.Headers.TryAddWithoutValidation("x-ms-error-code", "ServerBusy");
            }

            return Task.FromResult(response);
        }
    }
}
