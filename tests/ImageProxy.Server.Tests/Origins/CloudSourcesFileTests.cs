using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>sources.json validation for the cloud, web-hardening and proxy keys, and the validate command.</summary>
public sealed class CloudSourcesFileTests
{
    private static IReadOnlyList<SourceDefinition> Parse(string sources, Func<string, string?>? env = null)
        => SourcesFile.Parse($$"""{"sources":[{{sources}}]}""", Path.GetTempPath(), Transform.Limits.Default, env ?? (_ => null));

    [Test]
    public void Every_cloud_kind_parses_with_its_keys()
    {
        var list = Parse("""
            {"name":"a","pathPrefix":"/a","kind":"s3","s3":{"bucket":"b","region":"auto","serviceUrl":"http://127.0.0.1:9000","forcePathStyle":true,"accessKeyId":"k","secretAccessKey":"${S}","keyPrefix":"p/"}},
            {"name":"g","pathPrefix":"/g","kind":"gcs","gcs":{"bucket":"b","endpoint":"http://127.0.0.1:1"}},
            {"name":"z","pathPrefix":"/z","kind":"azure","azure":{"accountName":"acc","container":"c","sasToken":"?sv=x&sig=y"}},
            {"name":"p","pathPrefix":"/p","kind":"proxy","secureTokens":["t"],"allowPrivateAddresses":true,"proxy":{"allowedHosts":["*.example.com"]}},
            {"name":"w","pathPrefix":"/w","kind":"web","web":{"baseUrl":"https://x.test/","connectTimeoutSeconds":2,"headers":{"X-Key":"v"}}}
            """, n => n == "S" ? "secret" : null);

        Assert.Multiple(() =>
        {
            Assert.That(list[0].S3!.SecretAccessKey, Is.EqualTo("secret"));
            Assert.That(list[0].S3!.ToString(), Does.Not.Contain("secret"));
            Assert.That(list[1].Gcs!.Endpoint, Is.EqualTo(new Uri("http://127.0.0.1:1")));
            Assert.That(list[2].Azure!.SasToken, Is.EqualTo("sv=x&sig=y"));
            Assert.That(list[2].Azure!.Endpoint, Is.EqualTo(new Uri("https://acc.blob.core.windows.net")));
            Assert.That(list[3].Proxy!.AllowPrivateAddresses, Is.True);
            Assert.That(list[4].Web!.Headers["X-Key"], Is.EqualTo("v"));
            Assert.That(list[4].Web!.AllowPrivateAddresses, Is.False);
        });
    }

    [TestCase("""{"name":"p","pathPrefix":"/p","kind":"proxy","proxy":{}}""", "secureTokens")]
    [TestCase("""{"name":"s","pathPrefix":"/s","kind":"s3","s3":{"bucket":"b","region":"r","bukket":"x"}}""", "s3.bukket")]
    [TestCase("""{"name":"s","pathPrefix":"/s","kind":"s3","s3":{"bucket":"b"}}""", "s3.region")]
    [TestCase("""{"name":"s","pathPrefix":"/s","kind":"s3","s3":{"bucket":"b","region":"r","accessKeyId":"k"}}""", "s3.secretAccessKey")]
    [TestCase("""{"name":"z","pathPrefix":"/z","kind":"azure","azure":{"accountName":"a","container":"c","sharedKey":"a2V5","anonymous":true}}""", "'azure'")]
    [TestCase("""{"name":"z","pathPrefix":"/z","kind":"azure","azure":{"accountName":"a","container":"c","endpoint":"http://127.0.0.1:10000/a"}}""", "azure.endpoint")]
    [TestCase("""{"name":"g","pathPrefix":"/g","kind":"gcs","gcs":{"bucket":"b","credentialsFile":"/nonexistent.json"}}""", "gcs.credentialsFile")]
    [TestCase("""{"name":"g","pathPrefix":"/g","kind":"gcs","gcs":{"bucket":"b"},"s3":{}}""", "'s3'")]
    [TestCase("""{"name":"s","pathPrefix":"/s","kind":"s3","allowPrivateAddresses":true,"s3":{"bucket":"b","region":"r"}}""", "allowPrivateAddresses")]
    [TestCase("""{"name":"w","pathPrefix":"/w","kind":"web","web":{"baseUrl":"https://x/","headers":{"Host":"h"}}}""", "web.headers.Host")]
    public void Mistakes_name_the_source_and_key(string source, string key)
    {
        var thrown = Assert.Throws<SourcesFileException>(() => Parse(source));
        Assert.That(thrown!.Message, Does.Contain(key));
    }

    [Test]
    public void Every_broken_source_is_reported_and_secrets_are_not_printed()
    {
        var thrown = Assert.Throws<SourcesFileException>(() => Parse("""
            {"name":"one","pathPrefix":"/1","kind":"s3","s3":{"bucket":"b","region":"r","secretAccessKey":"hunter2-secret"}},
            {"name":"two","pathPrefix":"/2","kind":"azure","azure":{"container":"c"}}
            """));

        Assert.That(thrown!.Message, Does.Contain("source 'one'").And.Contain("source 'two'").And.Contain("azure.accountName"));
        Assert.That(thrown.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Validate_command_exits_non_zero_and_prints_each_problem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sources-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"sources":[{"name":"x","pathPrefix":"/x","kind":"proxy","secureTokens":["t"],"proxy":{"allowedHost":[]}}]}""");
        try
        {
            var broken = await TestCli.RunAsync("validate", "--sources", path);

            Assert.That(broken.ExitCode, Is.EqualTo(1));
            Assert.That(broken.Err, Does.Contain("source 'x'").And.Contain("proxy.allowedHost"));

            File.WriteAllText(path, """{"sources":[{"name":"x","pathPrefix":"/x","kind":"web","web":{"baseUrl":"https://x.test/"}}]}""");
            var valid = await TestCli.RunAsync("validate", "--sources", path);
            Assert.That(valid.ExitCode, Is.EqualTo(0));
            Assert.That(valid.Out, Does.Contain("OK (1 sources)"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
