using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>
/// POST /_imageproxy/purge through the real server, with the Fastly and Cloudflare adapters pointed at a local
/// receiver (Kestrel on 127.0.0.1): method, path, headers and body must be what each API documents.
/// </summary>
[Category("EndToEnd")]
public sealed class CdnPurgeTests
{
    private const string AdminToken = "purge-admin-token";

    [Test]
    public async Task Fastly_gets_the_objects_surrogate_keys_with_its_key_header()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        using var app = Proxy(new()
        {
            ["ImageProxy:Fastly:ServiceId"] = "SU1Z0isxPaozGVKXdv0eY",
            ["ImageProxy:Fastly:ApiToken"] = "fastly-token-1",
            ["ImageProxy:Fastly:SoftPurge"] = "true",
            ["ImageProxy:Fastly:BaseUrl"] = receiver.BaseUrl,
        });
        using var client = app.CreateClient();
        using var image = await client.GetAsync("/img/pic.png?w=10");
        var objectKey = SurrogateKeys(image).Single(k => k.StartsWith("imageproxy-obj-", StringComparison.Ordinal));

        var answer = await Purge(client, "/img/pic.png");

        var request = receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("cdn").GetString(), Is.EqualTo("ok"));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/service/SU1Z0isxPaozGVKXdv0eY/purge"));
            Assert.That(request.Headers["Fastly-Key"], Is.EqualTo("fastly-token-1"));
            Assert.That(request.Headers["Fastly-Soft-Purge"], Is.EqualTo("1"));
            Assert.That(request.Headers.ContainsKey("Authorization"), Is.False);
            Assert.That(request.Headers["Content-Type"], Does.StartWith("application/json"));
            Assert.That(Strings(request, "surrogate_keys"), Is.EqualTo(new[] { objectKey }), "the key the image response carried");
        });
    }

    [Test]
    public async Task Cloudflare_gets_the_cache_tags_with_a_bearer_token()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        using var app = Proxy(new()
        {
            ["ImageProxy:Cloudflare:ZoneId"] = "023e105f4ecef8ad9ca31a8372d0c353",
            ["ImageProxy:Cloudflare:ApiToken"] = "cf-token-2",
            ["ImageProxy:Cloudflare:BaseUrl"] = receiver.BaseUrl + "/client/v4",
        });
        using var client = app.CreateClient();
        using var image = await client.GetAsync("/img/pic.png?w=10");
        var cacheTags = image.Headers.GetValues("Cache-Tag").Single().Split(',');

        var answer = await Purge(client, "/img/pic.png", "/img/other.png");

        var request = receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("cdn").GetString(), Is.EqualTo("ok"));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"));
            Assert.That(request.Headers["Authorization"], Is.EqualTo("Bearer cf-token-2"));
            var tags = Strings(request, "tags");
            Assert.That(tags, Has.Length.EqualTo(2), "one object tag per purged path");
            Assert.That(cacheTags, Does.Contain(tags[0]), "the tag the image response carried");
        });
    }

    [Test]
    public async Task Cloudflare_by_url_gets_the_public_urls_of_the_purged_paths()
    {
        await using var receiver = await LocalReceiver.StartAsync();
        using var app = Proxy(new()
        {
            ["ImageProxy:Cloudflare:ZoneId"] = "zone-3",
            ["ImageProxy:Cloudflare:ApiToken"] = "cf-token-3",
            ["ImageProxy:Cloudflare:PurgeBy"] = "Urls",
            ["ImageProxy:Cloudflare:PublicBaseUrl"] = "https://img.example.com/",
            ["ImageProxy:Cloudflare:BaseUrl"] = receiver.BaseUrl,
        });
        using var client = app.CreateClient();

        var answer = await Purge(client, "/img/pic.png");

        var request = receiver.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("cdn").GetString(), Is.EqualTo("ok"));
            Assert.That(request.Path, Is.EqualTo("/zones/zone-3/purge_cache"));
            Assert.That(Strings(request, "files"), Is.EqualTo(new[] { "https://img.example.com/img/pic.png" }));
        });
    }

    [Test]
    public async Task A_refused_purge_is_reported_naming_the_adapter()
    {
        await using var fastly = await LocalReceiver.StartAsync();
        await using var cloudflare = await LocalReceiver.StartAsync();
        cloudflare.Status = (int)HttpStatusCode.Forbidden;
        using var app = Proxy(new()
        {
            ["ImageProxy:Fastly:ServiceId"] = "svc",
            ["ImageProxy:Fastly:ApiToken"] = "fastly-token",
            ["ImageProxy:Fastly:BaseUrl"] = fastly.BaseUrl,
            ["ImageProxy:Cloudflare:ZoneId"] = "zone",
            ["ImageProxy:Cloudflare:ApiToken"] = "cf-token",
            ["ImageProxy:Cloudflare:BaseUrl"] = cloudflare.BaseUrl,
        });
        using var client = app.CreateClient();

        var answer = await Purge(client, "/img/pic.png");

        Assert.Multiple(() =>
        {
            Assert.That(answer.GetProperty("cdn").GetString(), Is.EqualTo("failed: cloudflare: status 403"));
            Assert.That(fastly.Requests, Has.Count.EqualTo(1), "one adapter failing does not stop the others");
            Assert.That(cloudflare.Requests, Has.Count.EqualTo(1));
        });
    }

    private static HostileProxy Proxy(Dictionary<string, string?> settings)
    {
        settings["ImageProxy:AdminToken"] = AdminToken;
        return new HostileProxy(settings: settings);
    }

    private static async Task<JsonElement> Purge(HttpClient client, params string[] paths)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_imageproxy/purge")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { paths }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string[] SurrogateKeys(HttpResponseMessage response) => response.Headers.GetValues("Surrogate-Key").Single().Split(' ');

    private static string[] Strings(LocalReceiver.Received request, string property) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
