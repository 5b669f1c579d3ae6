using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>proxy kind: every key is the whole URL of the object on the local server.</summary>
public sealed class ProxyTestBed : IOriginTestBed
{
    private readonly LocalObjectServer _server = new();
    private readonly List<IDisposable> _created = [];
    private bool _denied;

    public string SourceName => "contract-proxy";

    public string? Secret => null;

    public Task StartAsync() => _server.StartAsync();

    public Task PutAsync(string key, byte[] bytes, string contentType)
    {
        _server.Put(key, bytes, contentType);
        return Task.CompletedTask;
    }

    // A proxy source has no key prefix of its own: the prefix is part of the URL the caller sends.
    public IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(maxBytes);

    public IOrigin CreateDeniedOrigin(string keyPrefix)
    {
        _denied = true;
        return Create(1 << 20);
    }

    public string KeyFor(string keyPrefix, string key)
    {
        var folder = _denied ? "denied" : "objects";
        _denied = false;
        return new Uri(_server.BaseUrl, $"/{folder}/" + ObjectKey.EscapeSegments(keyPrefix + key)).AbsoluteUri;
    }

    private ProxyOrigin Create(long maxBytes)
    {
        var origin = new ProxyOrigin(SourceName, new ProxySourceSettings(["127.0.0.1"], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), maxBytes)
        {
            AllowPrivateAddresses = true,
        });
        _created.Add(origin);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        _created.ForEach(d => d.Dispose());
        await _server.DisposeAsync();
    }
}
