using System.Net;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using ImageProxy.Server.Tests.Origins.Contract;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// Web and proxy failure modes against a local Kestrel origin: redirects (followed, capped, re-checked),
/// private and metadata targets, DNS rebinding, 5xx, resets, slow bodies, oversized bodies.
/// To test the address guard with a loopback server, the tests pretend 127.0.0.1 is public (a custom
/// policy) and use other private addresses (127.0.0.2, 10.x, 169.254.169.254) as the forbidden ones.
/// </summary>
[NonParallelizable]
public sealed class WebHardeningTests
{
    private static readonly byte[] Body = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
    private readonly LocalObjectServer _server = new();
    private int _port;

    // 127.0.0.1 plays a public address; everything the real policy refuses stays refused.
    private static readonly Func<IPAddress, bool> PretendLoopbackIsPublic =
        a => a.Equals(IPAddress.Loopback) || OriginAddressPolicy.For(allowPrivateAddresses: false)(a);

    [OneTimeSetUp]
    public async Task Start()
    {
        await _server.StartAsync(app =>
        {
            app.MapGet("/hop/{n:int}", (int n) => n == 0 ? Results.Bytes(Body, "image/png") : Results.Redirect($"/hop/{n - 1}"));
            app.MapGet("/to-private", () => Results.Redirect($"http://127.0.0.2:{_port}/hop/0"));
            app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/to-other-host", () => Results.Redirect($"http://other.test:{_port}/hop/0"));
            app.MapGet("/unavailable", () => Results.StatusCode(503));
            app.MapGet("/reset", (HttpContext context) => { context.Abort(); return Results.Empty; });
            app.MapGet("/slow-body", async (HttpContext context) =>
            {
                context.Response.ContentType = "image/png";
                context.Response.ContentLength = Body.Length;
                await context.Response.Body.WriteAsync(Body.AsMemory(0, 10), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            });
            app.MapGet("/oversized-undeclared", async (HttpContext context) =>
            {
                context.Response.ContentType = "image/png";
                for (var i = 0; i < 10; i++)
                {
                    await context.Response.Body.WriteAsync(new byte[1000], context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            });
            app.MapGet("/headers", (HttpContext context) => Results.Text(
                $"{context.Request.Headers.UserAgent}|{context.Request.Headers["X-Api-Key"]}|{context.Request.Headers.Cookie}", "image/png"));
            app.MapGet("/set-cookie", (HttpContext context) => { context.Response.Headers.SetCookie = "s=1"; return Results.Redirect("/headers"); });
        });
        _port = _server.BaseUrl.Port;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private WebOrigin Web(double timeoutSeconds = 3, long maxBytes = 4096, IHostResolver? resolver = null, Func<IPAddress, bool>? policy = null, bool allowPrivate = false, string host = "127.0.0.1")
        => new("hardening", new WebSourceSettings(new Uri($"http://{host}:{_port}/"), TimeSpan.FromSeconds(timeoutSeconds), maxBytes)
        {
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = "k-123" },
            AllowPrivateAddresses = allowPrivate,
        }, resolver, policy ?? PretendLoopbackIsPublic);

    private static Task<OriginResult> Fetch(IOrigin origin, string key) => origin.FetchAsync(key, OriginValidators.None, CancellationToken.None);

    [Test]
    public async Task Up_to_three_redirects_are_followed()
    {
        using var web = Web();
        var result = await Fetch(web, "hop/3");
        Assert.That(result.Bytes, Is.EqualTo(Body));
    }

    [Test]
    public void A_fourth_redirect_is_refused()
    {
        using var web = Web();
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, "hop/4"));
        Assert.That(thrown!.Message, Does.Contain("redirects").And.Contain("'hardening'"));
        Assert.That(thrown.Transient, Is.False);
    }

    [TestCase("to-private")]
    [TestCase("to-metadata")]
    public void A_redirect_to_a_private_or_metadata_address_is_refused(string key)
    {
        using var web = Web();
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, key));
        Assert.That(thrown!.InnerException, Is.Not.Null);
        Assert.That(HttpOriginResponse.Find<OriginAddressRefusedException>(thrown), Is.Not.Null);
    }

    [Test]
    public void Loopback_is_refused_by_default()
    {
        using var web = Web(policy: OriginAddressPolicy.For(false));
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, "hop/0"));
        Assert.That(HttpOriginResponse.Find<OriginAddressRefusedException>(thrown), Is.Not.Null);
    }

    [Test]
    public async Task Loopback_is_reached_when_the_source_allows_private_addresses()
    {
        using var web = new WebOrigin("hardening", new WebSourceSettings(new Uri($"http://127.0.0.1:{_port}/"), TimeSpan.FromSeconds(3), 4096) { AllowPrivateAddresses = true });
        Assert.That((await Fetch(web, "hop/0")).Bytes, Is.EqualTo(Body));
    }

    [Test]
    public void Metadata_stays_refused_even_when_private_addresses_are_allowed()
    {
        Assert.That(OriginAddressPolicy.For(true)(IPAddress.Parse("169.254.169.254")), Is.False);
        Assert.That(OriginAddressPolicy.For(true)(IPAddress.Parse("fd00:ec2::254")), Is.False);
        Assert.That(OriginAddressPolicy.For(true)(IPAddress.Parse("10.1.2.3")), Is.True);
    }

    [TestCase("127.0.0.1")]
    [TestCase("10.0.0.1")]
    [TestCase("172.16.5.4")]
    [TestCase("192.168.1.1")]
    [TestCase("100.64.0.1")]
    [TestCase("100.127.255.255")]
    [TestCase("169.254.169.254")]
    [TestCase("0.0.0.0")]
    [TestCase("::1")]
    [TestCase("fd00:ec2::254")]
    [TestCase("fe80::1")]
    [TestCase("::ffff:127.0.0.1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("64:ff9b::a00:1")]
    public void Private_loopback_link_local_and_cgnat_addresses_are_refused(string address)
    {
        Assert.That(OriginAddressPolicy.For(false)(IPAddress.Parse(address)), Is.False);
    }

    [TestCase("93.184.216.34")]
    [TestCase("100.128.0.1")]
    [TestCase("2606:2800:220:1::248")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.That(OriginAddressPolicy.For(false)(IPAddress.Parse(address)), Is.True);
    }

    [Test]
    public async Task Dns_rebinding_cannot_slip_through_because_the_checked_address_is_the_one_dialled()
    {
        // First answer: the "public" address; every later answer: a private one. A check-then-connect
        // design would resolve twice and connect to the second answer.
        var resolver = new RebindingResolver(IPAddress.Loopback, IPAddress.Parse("10.0.0.7"));
        using var first = Web(resolver: resolver, host: "rebind.test");
        Assert.That((await Fetch(first, "hop/0")).Bytes, Is.EqualTo(Body));
        Assert.That(resolver.Calls, Is.EqualTo(1), "one resolution per connection, and it is the one checked");

        using var second = Web(resolver: resolver, host: "rebind.test");
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(second, "hop/0"));
        Assert.That(HttpOriginResponse.Find<OriginAddressRefusedException>(thrown), Is.Not.Null);
        Assert.That(resolver.Calls, Is.EqualTo(2));
    }

    [Test]
    public void A_redirect_hop_is_re_resolved_and_re_checked()
    {
        var resolver = new RebindingResolver(IPAddress.Parse("169.254.169.254"), IPAddress.Parse("169.254.169.254"));
        using var web = Web(resolver: resolver);
        // The first hop is an IP literal (no resolution); the redirect's host resolves to metadata.
        Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, "to-other-host"));
        Assert.That(resolver.Calls, Is.EqualTo(1));
    }

    [Test]
    public void A_5xx_is_a_transient_failure()
    {
        using var web = Web();
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, "unavailable"));
        Assert.That(thrown!.Transient, Is.True);
    }

    [Test]
    public void A_connection_reset_is_a_transient_failure()
    {
        using var web = Web();
        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(web, "reset"));
        Assert.That(thrown!.Transient, Is.True);
    }

    [Test]
    public void A_slow_body_times_out_within_the_source_timeout()
    {
        using var web = Web(timeoutSeconds: 0.5);
        var started = DateTime.UtcNow;
        Assert.ThrowsAsync<OriginTimeoutException>(() => Fetch(web, "slow-body"));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(4)));
    }

    [Test]
    public void An_oversized_body_without_content_length_is_refused()
    {
        using var web = Web(maxBytes: 4096);
        Assert.ThrowsAsync<SourceTooLargeException>(() => Fetch(web, "oversized-undeclared"));
    }

    [Test]
    public async Task Sends_our_user_agent_and_the_source_headers_and_no_cookies()
    {
        using var web = Web();
        var text = System.Text.Encoding.UTF8.GetString((await Fetch(web, "set-cookie")).Bytes!);
        var parts = text.Split('|');
        Assert.That(parts[0], Does.StartWith("ImageProxy/"));
        Assert.That(parts[1], Is.EqualTo("k-123"));
        Assert.That(parts[2], Is.Empty, "a cookie set by the origin must not come back");
    }

    [Test]
    public async Task Proxy_fetches_allowed_hosts_and_refuses_others()
    {
        var settings = new ProxySourceSettings(["*.example.test"], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 4096);
        var resolver = new RebindingResolver(IPAddress.Loopback, IPAddress.Loopback);
        using var proxy = new ProxyOrigin("px", settings, resolver, PretendLoopbackIsPublic);

        var ok = await Fetch(proxy, $"http://img.example.test:{_port}/hop/0");
        var refused = await Fetch(proxy, $"http://evil.test:{_port}/hop/0");
        var apex = await Fetch(proxy, $"http://example.test:{_port}/hop/0");
        var notUrl = await Fetch(proxy, "ftp://img.example.test/x.png");

        Assert.Multiple(() =>
        {
            Assert.That(ok.Bytes, Is.EqualTo(Body));
            Assert.That(refused.Status, Is.EqualTo(OriginStatus.NotFound));
            Assert.That(apex.Status, Is.EqualTo(OriginStatus.NotFound));
            Assert.That(notUrl.Status, Is.EqualTo(OriginStatus.NotFound));
        });
    }

    [Test]
    public void Proxy_refuses_a_redirect_to_a_host_outside_the_allowed_list()
    {
        var settings = new ProxySourceSettings(["img.example.test"], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 4096);
        using var proxy = new ProxyOrigin("px", settings, new RebindingResolver(IPAddress.Loopback, IPAddress.Loopback), PretendLoopbackIsPublic);

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(proxy, $"http://img.example.test:{_port}/to-other-host"));
        Assert.That(thrown!.Message, Does.Contain("refused target"));
    }

    [Test]
    public void Proxy_refuses_metadata_and_private_urls()
    {
        var settings = new ProxySourceSettings([], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 4096);
        using var proxy = new ProxyOrigin("px", settings);

        Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(proxy, "http://169.254.169.254/latest/meta-data/"));
        Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(proxy, $"http://127.0.0.1:{_port}/hop/0"));
        Assert.ThrowsAsync<OriginUnavailableException>(() => Fetch(proxy, $"http://[::1]:{_port}/hop/0"));
    }

    [TestCase("https%3A%2F%2Fcdn.example.com%2Fa%20b.jpg", "https://cdn.example.com/a b.jpg")]
    [TestCase("http%3A%2F%2Fexample.com%2Fx.png%3Fv%3D1", "http://example.com/x.png?v=1")]
    public void Proxy_keys_are_whole_urls_decoded_once(string raw, string expected)
    {
        Assert.That(ObjectKey.TryDecode(raw, SourceKind.Proxy, out var key), Is.True);
        Assert.That(key, Is.EqualTo(expected));
    }

    [TestCase("file%3A%2F%2F%2Fetc%2Fpasswd")]
    [TestCase("gopher%3A%2F%2Fx")]
    [TestCase("https%3A%2F%2Fuser%3Apw%40example.com%2Fx")]
    [TestCase("not-a-url")]
    public void Proxy_keys_that_are_not_plain_http_urls_are_refused(string raw)
    {
        Assert.That(ObjectKey.TryDecode(raw, SourceKind.Proxy, out _), Is.False);
    }

    /// <summary>Answers <paramref name="first"/> once, then <paramref name="later"/> for every call.</summary>
    private sealed class RebindingResolver(IPAddress first, IPAddress later) : IHostResolver
    {
        private int _calls;

        public int Calls => _calls;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
            => Task.FromResult(new[] { Interlocked.Increment(ref _calls) == 1 ? first : later });
    }
}
