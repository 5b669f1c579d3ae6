using System.Security.Cryptography;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>gcs kind against <see cref="FakeGcsServer"/> with real RS256 service-account tokens from Google.Apis.Auth.</summary>
public sealed class GcsTestBed : IOriginTestBed
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

    private GcsOrigin Create(string keyFile, string keyPrefix, long maxBytes)
    {
        var settings = new GcsSourceSettings(Bucket, keyFile, _server.BaseUrl, keyPrefix, TimeSpan.FromSeconds(10), maxBytes);
        var origin = new GcsOrigin(SourceName, settings, new GoogleTokenSource(keyFile));
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
