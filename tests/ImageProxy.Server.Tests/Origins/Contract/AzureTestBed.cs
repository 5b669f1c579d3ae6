using System.Net;
using System.Security.Cryptography;
using System.Text;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// azure kind against azurite (IMAGEPROXY_TEST_AZURE = its blob endpoint including the account,
/// e.g. http://127.0.0.1:10000/devstoreaccount1). Containers and blobs are created with Shared Key
/// requests; azurite checks Shared Key and SAS signatures, so a wrong signature really is refused.
/// </summary>
public abstract class AzureTestBed : IOriginTestBed
{
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's published development key (not a secret; every azurite install has it).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly List<IDisposable> _created = [];
    private readonly HttpClient _admin = new();

    protected Uri Endpoint { get; private set; } = null!;

    protected abstract string Container { get; }

    protected virtual bool PublicContainer => false;

    public abstract string SourceName { get; }

    public virtual string? Secret => null;

    public async Task StartAsync()
    {
        Endpoint = new Uri(RequiredService.Get("IMAGEPROXY_TEST_AZURE", "azurite"));
        await CreateContainerAsync(Container, PublicContainer);
        await CreateContainerAsync("private-denied", false);
    }

    private async Task CreateContainerAsync(string container, bool isPublic)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"{Endpoint.AbsoluteUri.TrimEnd('/')}/{container}?restype=container"))
        {
            Content = new ByteArrayContent([]),
        };
        if (isPublic)
        {
            request.Headers.TryAddWithoutValidation("x-ms-blob-public-access", "blob");
        }

        using var response = await SendSignedAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.Conflict), "create container");
    }

    public async Task PutAsync(string key, byte[] bytes, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, AzureBlobOrigin.BuildUrl(Endpoint, Container, key, null))
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new(contentType);
        request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
        using var response = await SendSignedAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"put blob {key}: {await response.Content.ReadAsStringAsync()}");
    }

    private Task<HttpResponseMessage> SendSignedAsync(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("x-ms-version", AzureBlobOrigin.ServiceVersion);
        request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R"));
        _ = request.Content?.Headers.ContentLength; // materialise Content-Length so it is signed as sent
        AzureSharedKeySigner.Sign(request, Account, Convert.FromBase64String(DevelopmentKey));
        return _admin.SendAsync(request);
    }

    public abstract IOrigin CreateOrigin(string keyPrefix, long maxBytes);

    public abstract IOrigin CreateDeniedOrigin(string keyPrefix);

    protected IOrigin Create(string container, string? sharedKey, string? sas, bool anonymous, string keyPrefix, long maxBytes)
    {
        var origin = new AzureBlobOrigin(SourceName,
            new AzureSourceSettings(Account, container, Endpoint, sharedKey, sas, anonymous, keyPrefix, TimeSpan.FromSeconds(10), maxBytes));
        _created.Add(origin);
        return origin;
    }

    /// <summary>A read-only service SAS for a whole container (signed version 2018-11-09, per the documented string-to-sign).</summary>
    protected static string ContainerSas(string container, string key)
    {
        var expiry = DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-ddTHH:mm:ssZ");
        const string version = "2018-11-09";
        var stringToSign = string.Join('\n',
            "r", "", expiry, $"/blob/{Account}/{container}", "", "", "", version, "c", "", "", "", "", "", "");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(stringToSign)));
        return $"sv={version}&sr=c&sp=r&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(signature)}";
    }

    public ValueTask DisposeAsync()
    {
        _created.ForEach(d => d.Dispose());
        _admin.Dispose();
        return ValueTask.CompletedTask;
    }
}
