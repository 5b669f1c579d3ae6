using System.Net;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>WebOrigin against a real Kestrel server on 127.0.0.1 that plays every kind of origin behaviour.</summary>
[NonParallelizable]
public sealed class WebOriginTests
{
    private static readonly byte[] Body = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
    private const string OriginEtag = "\"v1\"";
    private static readonly DateTimeOffset Modified = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private WebApplication _server = null!;
    private Uri _baseUrl = null!;
    private readonly List<string> _seenPaths = [];
    private string? _seenUserAgent;

    [OneTimeSetUp]
    public async Task StartOriginServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();

        _server.Use(async (context, next) =>
        {
            lock (_seenPaths)
            {
                _seenPaths.Add(context.Request.Path.ToUriComponent());
            }

            _seenUserAgent = context.Request.Headers.UserAgent.ToString();
            await next();
        });
        _server.MapGet("/media/ok.png", (HttpContext context) =>
        {
            if (context.Request.Headers.IfNoneMatch == OriginEtag)
            {
                context.Response.Headers.ETag = OriginEtag;
                return Results.StatusCode(304);
            }

            context.Response.Headers.ETag = OriginEtag;
            context.Response.Headers.LastModified = Modified.ToString("R");
            return Results.Bytes(Body, "image/png");
        });
        _server.MapGet("/media/since.png", (HttpContext context) =>
        {
            var since = context.Request.GetTypedHeaders().IfModifiedSince;
            return since >= Modified ? Results.StatusCode(304) : Results.Bytes(Body, "image/png", lastModified: Modified);
        });
        _server.MapGet("/media/{**rest}", (string rest) => Results.Bytes(Body, "image/png"));
        _server.MapGet("/missing.png", () => Results.NotFound());
        _server.MapGet("/gone.png", () => Results.StatusCode(410));
        _server.MapGet("/boom.png", () => Results.StatusCode(500));
        _server.MapGet("/forbidden.png", () => Results.StatusCode(403));
        _server.MapGet("/redirect.png", () => Results.Redirect("/media/ok.png"));
        _server.MapGet("/slow.png", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Results.Bytes(Body, "image/png");
        });
        _server.MapGet("/trickle.png", async (HttpContext context) =>
        {
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(Body.AsMemory(0, 10), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        _server.MapGet("/big-declared.png", () => Results.Bytes(new byte[4096], "image/png"));
        _server.MapGet("/big-chunked.png", async (HttpContext context) =>
        {
            // No Content-Length: only counting while reading can catch this one.
            context.Response.ContentType = "image/png";
            for (var i = 0; i < 8; i++)
            {
                await context.Response.Body.WriteAsync(new byte[512], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });

        await _server.StartAsync();
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseUrl = new Uri(address);
    }

    [OneTimeTearDown]
    public async Task StopOriginServer()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    // The origin server is on loopback, which web sources refuse unless allowPrivateAddresses is set.
    private WebOrigin Origin(string basePath = "/", double timeoutSeconds = 2, long maxBytes = 1024)
        => new("test-web", new WebSourceSettings(new Uri(_baseUrl, basePath), TimeSpan.FromSeconds(timeoutSeconds), maxBytes) { AllowPrivateAddresses = true });

    [Test]
    public async Task A_200_returns_the_bytes_and_the_origin_validators()
    {
        var result = await Origin("/media/").FetchAsync("ok.png", OriginValidators.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
            Assert.That(result.Bytes, Is.EqualTo(Body));
            Assert.That(result.ETag, Is.EqualTo(OriginEtag));
            Assert.That(result.LastModified, Is.EqualTo(Modified));
            Assert.That(result.ContentType, Is.EqualTo("image/png"));
            Assert.That(_seenUserAgent, Does.StartWith("ImageProxy/"));
        });
    }

    [Test]
    public async Task If_none_match_is_forwarded_and_304_maps_to_not_modified()
    {
        var result = await Origin("/media").FetchAsync("ok.png", new OriginValidators(OriginEtag, null), CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotModified));
    }

    [Test]
    public async Task If_modified_since_is_forwarded_and_304_maps_to_not_modified()
    {
        var result = await Origin("/media").FetchAsync("since.png", new OriginValidators(null, Modified), CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotModified));
    }

    [Test]
    public async Task Keys_are_re_encoded_per_segment()
    {
        var result = await Origin("/media").FetchAsync("dir/cat and dog?#%.png", OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
        lock (_seenPaths)
        {
            Assert.That(_seenPaths, Does.Contain("/media/dir/cat%20and%20dog%3F%23%25.png"));
        }
    }

    [TestCase("missing.png")]
    [TestCase("gone.png")]
    public async Task A_404_or_410_is_not_found(string key)
    {
        var result = await Origin().FetchAsync(key, OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [TestCase("boom.png")]
    [TestCase("forbidden.png")]
    public void Other_statuses_are_origin_failures(string key)
    {
        Assert.ThrowsAsync<OriginUnavailableException>(() => Origin().FetchAsync(key, OriginValidators.None, CancellationToken.None));
    }

    [Test]
    public void A_refused_connection_is_an_origin_failure()
    {
        // Port 1 on loopback: nothing listens there.
        var origin = new WebOrigin("test-web", new WebSourceSettings(new Uri("http://127.0.0.1:1/"), TimeSpan.FromSeconds(2), 1024) { AllowPrivateAddresses = true });

        Assert.ThrowsAsync<OriginUnavailableException>(() => origin.FetchAsync("x.png", OriginValidators.None, CancellationToken.None));
    }

    [TestCase("slow.png")]
    [TestCase("trickle.png")]
    public void A_slow_origin_times_out_within_the_source_timeout(string key)
    {
        var started = DateTime.UtcNow;

        Assert.ThrowsAsync<OriginTimeoutException>(() => Origin(timeoutSeconds: 0.5).FetchAsync(key, OriginValidators.None, CancellationToken.None));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void A_caller_cancellation_is_not_reported_as_a_timeout()
    {
        using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var thrown = Assert.CatchAsync<OperationCanceledException>(() => Origin(timeoutSeconds: 10).FetchAsync("slow.png", OriginValidators.None, cancelled.Token));
        Assert.That(thrown, Is.Not.InstanceOf<OriginTimeoutException>());
    }

    [TestCase("big-declared.png")]
    [TestCase("big-chunked.png")]
    public void A_body_over_max_bytes_is_too_large(string key)
    {
        Assert.ThrowsAsync<SourceTooLargeException>(() => Origin(maxBytes: 1024).FetchAsync(key, OriginValidators.None, CancellationToken.None));
    }

    [TestCase("../secret.png")]
    [TestCase("a/./b.png")]
    public async Task Unsafe_keys_never_reach_the_origin(string key)
    {
        int before;
        lock (_seenPaths)
        {
            before = _seenPaths.Count;
        }

        var result = await Origin("/media").FetchAsync(key, OriginValidators.None, CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
        lock (_seenPaths)
        {
            Assert.That(_seenPaths, Has.Count.EqualTo(before));
        }
    }

    [TestCase("https://example.com", "a/b c.png", "https://example.com/a/b%20c.png")]
    [TestCase("https://example.com/media/", "x.png", "https://example.com/media/x.png")]
    [TestCase("https://example.com/media", "x.png", "https://example.com/media/x.png")]
    public void Urls_are_the_base_plus_the_encoded_key(string baseUrl, string key, string expected)
    {
        Assert.That(WebOrigin.BuildUrl(new Uri(baseUrl), key).AbsoluteUri, Is.EqualTo(expected));
    }
}
