using System.Net;
using ImageProxy.Server.Tests.Origins.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// An s3 source on Ceph radosgw through the whole server: the right keys render, a wrong secret (valid key
/// id) is a 502 whose log line names the source and the refusal, and neither the body nor the log shows the secret.
/// </summary>
[Category("Services"), Category("Ceph"), Category("EndToEnd")]
[NonParallelizable]
public sealed class CephEndToEndTests
{
    private const string WrongSecret = "not-the-ceph-secret-0123456789";
    private readonly CephS3TestBed _bed = new();
    private readonly string _root = $"e2e-{Guid.NewGuid():N}/";
    private readonly CapturingLoggerProvider _logs = new();
    private ProxyApplication _app = null!;
    private WebApplicationFactoryClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        await _bed.StartAsync();
        await _bed.PutAsync(_root + "pic.png", TestImages.Png(120, 60), "image/png");
        var (url, key, secret) = _bed.Connection;
        string Source(string name, string secretKey) => $$$"""
            {"name":"{{{name}}}","pathPrefix":"/{{{name}}}","kind":"s3","s3":{"bucket":"{{{S3TestBed.Bucket}}}","region":"us-east-1","serviceUrl":"{{{url}}}","forcePathStyle":true,"accessKeyId":"{{{key}}}","secretAccessKey":"{{{secretKey}}}","keyPrefix":"{{{_root}}}"}}
            """;
        _app = new ProxyApplication(Source("ceph-good", secret) + "," + Source("ceph-wrong-secret", WrongSecret));
        _client = new WebApplicationFactoryClient(_app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs)))));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        _app?.Dispose();
        await _bed.DisposeAsync();
    }

    [Test]
    public async Task The_right_keys_render_the_original()
    {
        using var response = await _client.Http.GetAsync("/ceph-good/pic.png?w=60");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((60, 30)));
    }

    [Test]
    public async Task A_wrong_secret_is_a_502_logged_with_the_source_name_never_the_secret()
    {
        using var response = await _client.Http.GetAsync("/ceph-wrong-secret/pic.png?w=60");
        var body = await response.Content.ReadAsStringAsync();

        var lines = _logs.Entries.Select(e => e.Text).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), body);
            Assert.That(body, Does.Not.Contain(WrongSecret));
            Assert.That(lines, Has.Some.Contains("'ceph-wrong-secret'").And.Contains("SignatureDoesNotMatch"));
            Assert.That(lines, Has.None.Contains(WrongSecret));
        });
    }

    /// <summary>Keeps the derived factory alive as long as its client (WithWebHostBuilder returns a new factory).</summary>
    private sealed class WebApplicationFactoryClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) : IDisposable
    {
        public HttpClient Http { get; } = factory.CreateClient();

        public void Dispose()
        {
            Http.Dispose();
            factory.Dispose();
        }
    }
}
