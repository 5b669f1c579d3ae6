using System.Net;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>
/// Security:TrustedProxies: X-Forwarded-For is believed from the configured proxies only, so the per-client rate
/// limiter keys on the real client behind a CDN and a client cannot pick its own bucket.
/// </summary>
[Category("EndToEnd")]
public sealed class ForwardedHeadersTests
{
    private const string TrustedProxy = "10.1.2.3";
    private const string PeerHeader = "X-Test-Peer";

    [Test]
    public async Task An_untrusted_peers_X_Forwarded_For_is_ignored_by_the_rate_limiter()
    {
        using var app = Proxy();
        using var client = app.CreateClient();

        // One token per client: a second request from the same bucket is refused.
        using var first = await Send(client, peer: "192.0.2.50", forwardedFor: "198.51.100.1");
        using var second = await Send(client, peer: "192.0.2.50", forwardedFor: "198.51.100.2");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a made-up X-Forwarded-For must not buy a fresh bucket");
    }

    [Test]
    public async Task A_trusted_proxys_X_Forwarded_For_names_the_client_the_rate_limiter_keys_on()
    {
        using var app = Proxy();
        using var client = app.CreateClient();

        using var clientA = await Send(client, peer: TrustedProxy, forwardedFor: "198.51.100.7");
        using var clientB = await Send(client, peer: TrustedProxy, forwardedFor: "198.51.100.8");
        using var clientAAgain = await Send(client, peer: TrustedProxy, forwardedFor: "198.51.100.7");
        // A CDN edge in a trusted network, in front of the trusted load balancer: two hops, both walked.
        using var throughTwoHops = await Send(client, peer: TrustedProxy, forwardedFor: "198.51.100.9, 172.16.5.5");

        Assert.Multiple(() =>
        {
            Assert.That(clientA.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(clientB.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another client behind the same proxy has its own bucket");
            Assert.That(clientAAgain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the same client is limited though the peer is the proxy");
            Assert.That(throughTwoHops.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [TestCase("cdn.example.com", false)]
    [TestCase("10.0.0.0/33", false)]
    [TestCase("10.0.0.0/8", true)]
    [TestCase("2001:db8::1", true)]
    public void A_trusted_proxy_entry_must_be_an_address_or_a_network(string entry, bool valid)
    {
        var options = new ProxyOptions { Security = new SecurityOptions { TrustedProxies = [entry] } };

        var result = new SecurityOptionsValidator().Validate(null, options);

        Assert.That(result.Succeeded, Is.EqualTo(valid));
        if (!valid)
        {
            Assert.That(result.FailureMessage, Does.Contain("ImageProxy:Security:TrustedProxies").And.Contain(entry));
        }
    }

    private static HostileProxy Proxy() => new(
        settings: new Dictionary<string, string?>
        {
            ["ImageProxy:Security:RateLimit:PermitsPerSecond"] = "1",
            ["ImageProxy:Security:RateLimit:Burst"] = "1",
            ["ImageProxy:Security:TrustedProxies:0"] = TrustedProxy,
            ["ImageProxy:Security:TrustedProxies:1"] = "172.16.0.0/12",
        },
        services: services => services.AddSingleton<IStartupFilter, PeerAddressFromHeader>());

    private static Task<HttpResponseMessage> Send(HttpClient client, string peer, string forwardedFor)
    {
        // An unknown path: cheap, and 404 versus 429 tells whether the limiter let it through.
        var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere/x.png");
        request.Headers.Add(PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    /// <summary>The test server has no TCP peer: this sets the connection's remote address, ahead of the whole pipeline.</summary>
    private sealed class PeerAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[PeerHeader].ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
