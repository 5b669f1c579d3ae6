using System.Net;
using System.Security.Cryptography;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Tests.Origins.Contract;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// Issue 3's "done means": one corpus photo stored in every kind of origin (folder, s3 on s3rver, azure on
/// azurite, gcs on the fake of the documented JSON API, web and proxy on a local Kestrel origin) and served through the real
/// server (Program, routing, signing, libvips) must give byte-identical output for the same query. Any
/// difference would mean an origin altered the original (framing, truncation, decoding) on its way in.
/// </summary>
[Category("Services"), Category("EndToEnd")]
[NonParallelizable]
public sealed class AllKindsEndToEndTests
{
    private const string Photo = "photo-garden-2560x1600.jpg";
    private const string ProxyToken = "all-kinds-proxy-token";
    private static readonly string[] Kinds = ["folder", "s3", "azure", "gcs", "web", "proxy"];

    private readonly string _root = $"all-kinds-{Guid.NewGuid():N}/";
    private readonly S3TestBed _s3 = new();
    private readonly AzureSharedKeyTestBed _azure = new();
    private readonly LocalObjectServer _web = new();
    private readonly RSA _gcsKey = RSA.Create(2048);
    private readonly string _keyDirectory = Directory.CreateTempSubdirectory("imageproxy-all-kinds-").FullName;
    private FakeGcsServer _gcs = null!;
    private string _gcsKeyFile = null!;
    private ProxyApplication _app = null!;
    private HttpClient _client = null!;
    private byte[] _original = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _original = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Corpus, Photo));

        // The beds create their bucket/containers and fail (not skip) under test.sh when a service is missing.
        await _s3.StartAsync();
        await _azure.StartAsync();
        await _s3.PutAsync(_root + Photo, _original, "image/jpeg");
        await _azure.PutAsync(_root + Photo, _original, "image/jpeg");

        _gcs = new FakeGcsServer(_gcsKey);
        await _gcs.StartAsync();
        _gcs.Put(GcsTestBed.Bucket, _root + Photo, _original, "image/jpeg");

        await _web.StartAsync();
        _web.Put(_root + Photo, _original, "image/jpeg");

        _app = new ProxyApplication(SourcesJson());
        File.WriteAllBytes(Path.Combine(_app.Directory, "images", Photo), _original);
        // Real Kestrel on loopback rather than the in-memory TestServer: TestServer rebuilds the request
        // target from the decoded path, so the proxy kind's %3A%2F… path (which the signature covers) would
        // not reach the server as the client sent it.
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        _client = _app.CreateClient();
    }

    private string SourcesJson()
    {
        var keyFile = _gcsKeyFile = _gcs.WriteKeyFile(_keyDirectory, _gcsKey, "all-kinds");
        var s3 = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_S3");
        var azure = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_AZURE");
        var accessKey = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_S3_ACCESS_KEY") ?? "S3RVER";
        var secretKey = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_S3_SECRET_KEY") ?? "S3RVER";
        return $$$"""
            {"name":"k-s3","pathPrefix":"/k/s3","kind":"s3","s3":{"bucket":"{{{S3TestBed.Bucket}}}","region":"us-east-1","serviceUrl":"{{{s3}}}","forcePathStyle":true,"accessKeyId":"{{{accessKey}}}","secretAccessKey":"{{{secretKey}}}","keyPrefix":"{{{_root}}}"}},
            {"name":"k-azure","pathPrefix":"/k/azure","kind":"azure","azure":{"accountName":"{{{AzureTestBed.Account}}}","container":"contract-sharedkey","endpoint":"{{{azure}}}","sharedKey":"{{{AzureTestBed.DevelopmentKey}}}","keyPrefix":"{{{_root}}}"}},
            {"name":"k-gcs","pathPrefix":"/k/gcs","kind":"gcs","gcs":{"bucket":"{{{GcsTestBed.Bucket}}}","credentialsFile":"{{{keyFile}}}","endpoint":"{{{_gcs.BaseUrl}}}","keyPrefix":"{{{_root}}}"}},
            {"name":"k-web","pathPrefix":"/k/web","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"{{{_web.BaseUrl}}}objects/{{{_root}}}"}},
            {"name":"k-proxy","pathPrefix":"/k/proxy","kind":"proxy","secureTokens":["{{{ProxyToken}}}"],"allowPrivateAddresses":true,"proxy":{"allowedHosts":["127.0.0.1"]}}
            """;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        _app?.Dispose();
        await _s3.DisposeAsync();
        await _azure.DisposeAsync();
        await _web.DisposeAsync();
        if (_gcs is not null)
        {
            await _gcs.DisposeAsync();
        }

        Directory.Delete(_keyDirectory, recursive: true);
    }

    private string Url(string kind, string query) => kind switch
    {
        "folder" => $"/samples/{Photo}?{query}",
        // The proxy kind takes the whole origin URL, percent-encoded, and must be signed (it is never an open relay).
        "proxy" => ImgixSigner.Sign(ProxyToken, "/k/proxy/" + Uri.EscapeDataString(new Uri(_web.BaseUrl, "/objects/" + ObjectKey.EscapeSegments(_root + Photo)).AbsoluteUri), query),
        _ => $"/k/{kind}/{Photo}?{query}",
    };

    [TestCase("w=400&h=300&fit=crop&fm=webp", "webp")]
    [TestCase("w=640&q=70", "jpeg")]
    [TestCase("w=300&h=300&fit=fill&fill=blur&fm=png", "png")]
    public async Task Every_kind_serves_byte_identical_output_for_the_same_query(string query, string format)
    {
        var outputs = new Dictionary<string, byte[]>();
        foreach (var kind in Kinds)
        {
            using var response = await _client.GetAsync(Url(kind, query));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{kind}: {System.Text.Encoding.UTF8.GetString(body.Take(300).ToArray())}");
            outputs[kind] = body;
        }

        var reference = outputs["folder"];
        Assert.Multiple(() =>
        {
            Assert.That(TestImages.Sniff(reference), Is.EqualTo(format));
            Assert.That(reference, Has.Length.GreaterThan(1000), "a real rendering, not an error body");
            foreach (var kind in Kinds.Skip(1))
            {
                Assert.That(outputs[kind], Is.EqualTo(reference), $"{kind} differs from folder ({outputs[kind].Length} vs {reference.Length} bytes)");
            }
        });
    }

    [Test]
    public async Task The_uploaded_cloud_objects_are_exactly_the_corpus_bytes()
    {
        // Guards the comparison above against a vacuous pass: the stores really hold the corpus bytes
        // (s3rver, for one, keeps aws-chunked framing in an object uploaded the SDK's default way).
        var sha = Convert.ToHexString(SHA256.HashData(_original));
        foreach (var origin in new (string Kind, Func<Task<byte[]?>> Fetch)[]
                 {
                     ("s3", async () => (await _s3.CreateOrigin(_root, 50 << 20).FetchAsync(Photo, OriginValidators.None, CancellationToken.None)).Bytes),
                     ("azure", async () => (await _azure.CreateOrigin(_root, 50 << 20).FetchAsync(Photo, OriginValidators.None, CancellationToken.None)).Bytes),
                     ("gcs", async () =>
                     {
                         using var gcs = new GcsOrigin("k-gcs", new ImageProxy.Server.Configuration.GcsSourceSettings(GcsTestBed.Bucket, _gcsKeyFile, _gcs.BaseUrl, _root, TimeSpan.FromSeconds(10), 50 << 20));
                         return (await gcs.FetchAsync(Photo, OriginValidators.None, CancellationToken.None)).Bytes;
                     }),
                 })
        {
            var bytes = await origin.Fetch();
            Assert.That(Convert.ToHexString(SHA256.HashData(bytes!)), Is.EqualTo(sha), origin.Kind);
        }
    }
}
