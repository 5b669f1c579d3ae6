using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>web kind: baseUrl = the local server's /objects/ + the key prefix. The server is on loopback, so private addresses are allowed.</summary>
public sealed class WebTestBed : IOriginTestBed
{
    private readonly LocalObjectServer _server = new();
    private readonly List<IDisposable> _created = [];

    public string SourceName => "contract-web";

    public string? Secret => "secret-header-value";

    public Task StartAsync() => _server.StartAsync();

    public Task PutAsync(string key, byte[] bytes, string contentType)
    {
        _server.Put(key, bytes, contentType);
        return Task.CompletedTask;
    }

    public IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create("/objects/" + ObjectKey.EscapeSegments(keyPrefix.TrimEnd('/')) + "/", maxBytes);

    public IOrigin CreateDeniedOrigin(string keyPrefix) => Create("/denied/", 1 << 20);

    private WebOrigin Create(string path, long maxBytes)
    {
        var origin = new WebOrigin(SourceName, new WebSourceSettings(new Uri(_server.BaseUrl, path), TimeSpan.FromSeconds(5), maxBytes)
        {
            AllowPrivateAddresses = true,
            Headers = new Dictionary<string, string> { ["X-Origin-Secret"] = Secret! },
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
