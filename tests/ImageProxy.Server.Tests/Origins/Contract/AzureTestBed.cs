using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// azure kind against azurite (IMAGEPROXY_TEST_AZURE = its blob endpoint including the account,
/// e.g. http://127.0.0.1:10000/devstoreaccount1). Containers and blobs are created with Azure.Storage.Blobs
/// and the account key; azurite checks Shared Key and SAS signatures, so a wrong signature really is refused.
/// </summary>
public abstract class AzureTestBed : IBucketOriginTestBed
{
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's published development key (not a secret; every azurite install has it).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A key that is not the account's (valid base64): azurite refuses its signatures with 403.</summary>
    protected const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";

    private readonly List<IDisposable> _created = [];

    protected Uri Endpoint { get; private set; } = null!;

    protected abstract string Container { get; }

    protected virtual bool PublicContainer => false;

    public abstract string SourceName { get; }

    public virtual string? Secret => null;

    public string MissingBucket => "no-such-container";

    public async Task StartAsync()
    {
        Endpoint = new Uri(RequiredService.Variable("IMAGEPROXY_TEST_AZURE", "azurite"));
        await Admin(Container).CreateIfNotExistsAsync(PublicContainer ? PublicAccessType.Blob : PublicAccessType.None);
        await Admin("private-denied").CreateIfNotExistsAsync();
    }

    public async Task PutAsync(string key, byte[] bytes, string contentType)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } };
        await Admin(Container).GetBlobClient(key).UploadAsync(new BinaryData(bytes), options);
    }

    private BlobContainerClient Admin(string container)
        => new(AzureBlobOrigin.ContainerUri(Endpoint, container), new StorageSharedKeyCredential(Account, DevelopmentKey),
            new BlobClientOptions(AzureBlobOrigin.ServiceVersion));

    public abstract IOrigin CreateOrigin(string keyPrefix, long maxBytes);

    public abstract IOrigin CreateDeniedOrigin(string keyPrefix);

    public abstract IOrigin CreateOriginOnMissingBucket(string keyPrefix);

    protected IOrigin Create(string container, string? sharedKey, string? sas, bool anonymous, string keyPrefix, long maxBytes)
    {
        var origin = new AzureBlobOrigin(SourceName,
            new AzureSourceSettings(Account, container, Endpoint, sharedKey, sas, anonymous, keyPrefix, TimeSpan.FromSeconds(10), maxBytes));
        _created.Add(origin);
        return origin;
    }

    /// <summary>A read-only service SAS for a whole container, signed with <paramref name="key"/>.</summary>
    protected static string ContainerSas(string container, string key)
    {
        var sas = new BlobSasBuilder(BlobContainerSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(2))
        {
            BlobContainerName = container,
            Resource = "c",
            Version = "2021-12-02",
        };
        return sas.ToSasQueryParameters(new StorageSharedKeyCredential(Account, key)).ToString();
    }

    public ValueTask DisposeAsync()
    {
        _created.ForEach(d => d.Dispose());
        return ValueTask.CompletedTask;
    }
}
