using System.Net;
using System.Security.Cryptography;
using ImageProxy.Server.Tests.Origins.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// Through the whole server, on azurite and on the GCS fake: a missing object in an existing container/bucket is
/// the visitor's 404; a missing container/bucket is the operator's 502, whose log line names the source and says
/// the container/bucket does not exist; a refused SAS is a 502 whose log line never shows the signature.
/// </summary>
[Category("Services"), Category("EndToEnd")]
[NonParallelizable]
public sealed class MissingBucketEndToEndTests
{
    private readonly AzureSharedKeyTestBed _azure = new();
    private readonly RSA _gcsKey = RSA.Create(2048);
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("imageproxy-missing-").FullName;
    private readonly string _root = $"missing-{Guid.NewGuid():N}/";
    private readonly CapturingLoggerProvider _logs = new();
    private FakeGcsServer _gcs = null!;
    private ProxyApplication _app = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private string _wrongSig = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        await _azure.StartAsync();
        await _azure.PutAsync(_root + "pic.png", TestImages.Png(40, 20), "image/png");
        _gcs = new FakeGcsServer(_gcsKey);
        await _gcs.StartAsync();
        _gcs.Put(GcsTestBed.Bucket, _root + "pic.png", TestImages.Png(40, 20), "image/png");
        var keyFile = _gcs.WriteKeyFile(_keyDirectory, _gcsKey, "missing");
        var azure = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_AZURE");
        var wrongSas = AzureSasTestBed.WrongKeySas("contract-sharedkey");
        _wrongSig = Uri.UnescapeDataString(wrongSas.Split("sig=")[1].Split('&')[0]);
        string Azure(string name, string container, string auth) => $$$"""
            {"name":"{{{name}}}","pathPrefix":"/{{{name}}}","kind":"azure","azure":{"accountName":"{{{AzureTestBed.Account}}}","container":"{{{container}}}","endpoint":"{{{azure}}}",{{{auth}}},"keyPrefix":"{{{_root}}}"}}
            """;
        string Gcs(string name, string bucket) => $$$"""
            {"name":"{{{name}}}","pathPrefix":"/{{{name}}}","kind":"gcs","gcs":{"bucket":"{{{bucket}}}","credentialsFile":"{{{keyFile}}}","endpoint":"{{{_gcs.BaseUrl}}}","keyPrefix":"{{{_root}}}"}}
            """;
        var key = $"\"sharedKey\":\"{AzureTestBed.DevelopmentKey}\"";
        _app = new ProxyApplication(string.Join(",",
            Azure("az-there", "contract-sharedkey", key), Azure("az-missing", "no-such-container", key),
            Azure("az-wrong-sas", "contract-sharedkey", $"\"sasToken\":\"{wrongSas}\""),
            Gcs("gcs-there", GcsTestBed.Bucket), Gcs("gcs-missing", "no-such-bucket")));
        _factory = _app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddLogging(l => l.AddProvider(_logs))));
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        _factory?.Dispose();
        _app?.Dispose();
        await _azure.DisposeAsync();
        if (_gcs is not null)
        {
            await _gcs.DisposeAsync();
        }

        Directory.Delete(_keyDirectory, recursive: true);
    }

    [TestCase("az-there")]
    [TestCase("gcs-there")]
    public async Task The_object_renders_and_a_missing_object_in_the_same_place_is_a_404(string source)
    {
        using var found = await _client.GetAsync($"/{source}/pic.png?w=20");
        using var missing = await _client.GetAsync($"/{source}/no-such-pic.png?w=20");

        Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(await found.Content.ReadAsByteArrayAsync()), Is.EqualTo((20, 10)));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("az-missing", "container 'no-such-container' does not exist")]
    [TestCase("gcs-missing", "bucket 'no-such-bucket' does not exist")]
    public async Task A_missing_container_or_bucket_is_a_502_and_the_log_line_says_so(string source, string says)
    {
        using var response = await _client.GetAsync($"/{source}/pic.png?w=20");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(_logs.Entries.Select(e => e.Text), Has.Some.Contains($"'{source}'").And.Contains(says));
    }

    [Test]
    public async Task A_refused_sas_is_a_502_logged_with_the_source_never_the_signature()
    {
        using var response = await _client.GetAsync("/az-wrong-sas/pic.png?w=20");
        var body = await response.Content.ReadAsStringAsync();

        var lines = _logs.Entries.Select(e => e.Text).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), body);
            Assert.That(lines, Has.Some.Contains("'az-wrong-sas'").And.Contains("denied"));
            Assert.That(lines, Has.None.Contains(_wrongSig));
            Assert.That(body, Does.Not.Contain(_wrongSig));
        });
    }
}
