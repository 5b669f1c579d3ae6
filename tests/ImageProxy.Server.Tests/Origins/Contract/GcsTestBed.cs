using System.Security.Cryptography;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// gcs kind (Google.Cloud.Storage.V1) against <see cref="FakeGcsServer"/>, the in-process fake of the documented
/// JSON API, with real RS256 service-account tokens from Google.Apis.Auth.
/// </summary>
public sealed class GcsTestBed : IBucketOriginTestBed
{
    public const string Bucket = "imageproxy-contract";
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _strangerKey = RSA.Create(2048);
    private readonly string _directory = Directory.CreateTempSubdirectory("imageproxy-gcs-").FullName;
    private readonly List<IDisposable> _created = [];
    private FakeGcsServer _server = null!;
    private string _keyFile = null!;
    private string _strangerKeyFile = null!;

    public string SourceName => "contract-gcs";

    public string? Secret => null;

    public string MissingBucket => "no-such-bucket";

    /// <summary>The fake itself, for tests that look at the requests the SDK sent.</summary>
    public FakeGcsServer Server => _server;

    public async Task StartAsync()
    {
        _server = new FakeGcsServer(_key);
        await _server.StartAsync();
        _keyFile = _server.WriteKeyFile(_directory, _key, "trusted");
        _strangerKeyFile = _server.WriteKeyFile(_directory, _strangerKey, "stranger");
    }

    public Task PutAsync(string key, byte[] bytes, string contentType)
    {
        _server.Put(Bucket, key, bytes, contentType);
        return Task.CompletedTask;
    }

    public IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(_keyFile, keyPrefix, maxBytes);

    public IOrigin CreateDeniedOrigin(string keyPrefix) => Create(_strangerKeyFile, keyPrefix, 1 << 20);

    public IOrigin CreateOriginOnMissingBucket(string keyPrefix) => Create(_keyFile, keyPrefix, 1 << 20, MissingBucket);

    private GcsOrigin Create(string keyFile, string keyPrefix, long maxBytes, string bucket = Bucket)
    {
        var settings = new GcsSourceSettings(bucket, keyFile, _server.BaseUrl, keyPrefix, TimeSpan.FromSeconds(10), maxBytes);
        var origin = new GcsOrigin(SourceName, settings);
        _created.Add(origin);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        _created.ForEach(d => d.Dispose());
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
