using System.Net;
using ImageProxy.Server.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageProxy.Server.Tests.Security;

/// <summary>nosniff everywhere, a strict CSP on anything that is not a raster image, no Server header, no reflection.</summary>
[Category("EndToEnd")]
public sealed class ResponseHeaderSafetyTests : HostileProxyFixture
{
    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;

    [TestCase("/img/pic.png?w=10", HttpStatusCode.OK)]
    [TestCase("/img/missing.png", HttpStatusCode.NotFound)]
    [TestCase("/img/pic.png?w=abc", HttpStatusCode.BadRequest)]
    [TestCase("/signed/pic.png", HttpStatusCode.Forbidden)]
    [TestCase("/nowhere/pic.png", HttpStatusCode.NotFound)]
    [TestCase("/_imageproxy/health/live", HttpStatusCode.OK)]
    public async Task Every_response_has_nosniff(string url, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
    }

    [TestCase("/img/missing.png")]
    [TestCase("/img/pic.png?w=abc")]
    [TestCase("/_imageproxy/health/live")]
    [TestCase("/_imageproxy/health/ready")]
    public async Task Json_and_text_responses_carry_the_strict_policy(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Does.Not.StartWith("image/"));
        Assert.That(Header(response, "Content-Security-Policy"), Is.EqualTo(SecurityHeaders.ContentSecurityPolicy));
        Assert.That(SecurityHeaders.ContentSecurityPolicy, Does.Contain("default-src 'none'").And.Contain("sandbox"));
    }

    [Test]
    public async Task A_raster_image_is_sent_without_a_document_policy()
    {
        using var response = await Client.GetAsync("/img/pic.png?w=10&fm=png");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "Content-Security-Policy"), Is.Null);
    }

    [TestCase("image/svg+xml", true)]
    [TestCase("application/json", true)]
    [TestCase("application/problem+json; charset=utf-8", true)]
    [TestCase("text/html", true)]
    [TestCase(null, true)]
    [TestCase("image/png", false)]
    [TestCase("image/avif", false)]
    public void Svg_json_and_untyped_output_needs_the_policy(string? contentType, bool expected)
    {
        Assert.That(SecurityHeaders.NeedsPolicy(contentType), Is.EqualTo(expected));
    }

    [Test]
    public void Kestrel_does_not_announce_itself()
    {
        Assert.That(App.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader, Is.False);
    }

    [TestCase("/img/pic.png?w=10&MARKER=1")]
    [TestCase("/img/MARKER.png")]
    [TestCase("/img/pic.png?w=MARKER")]
    [TestCase("/MARKER/pic.png")]
    [TestCase("/signed/pic.png?w=10&s=MARKER")]
    [TestCase("/img/pic.png?w=10&fm=MARKER")]
    [TestCase("/img/pic.png?w=10&dl=MARKER%0d%0aSet-Cookie:%20a=b")]
    public async Task No_request_input_is_reflected_into_response_headers(string url)
    {
        const string marker = "zq7MARKERzq7";
        using var request = new HttpRequestMessage(HttpMethod.Get, url.Replace("MARKER", marker));
        request.Headers.TryAddWithoutValidation("User-Agent", marker);
        request.Headers.TryAddWithoutValidation("Origin", "https://" + marker + ".example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", marker);
        request.Headers.TryAddWithoutValidation("Accept", "image/" + marker);
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"" + marker + "\"");

        using var response = await Client.SendAsync(request);

        var headers = response.Headers.Concat(response.Content.Headers).ToList();
        Assert.That(headers.Where(h => h.Key != "Content-Disposition").SelectMany(h => h.Value), Has.None.Contains(marker));
        // dl is the one deliberate echo: it is sanitised (no CR/LF can split the header) and quoted.
        var disposition = Header(response, "Content-Disposition");
        Assert.That(disposition ?? string.Empty, Does.Not.Contain("\r").And.Not.Contain("\n"));
        Assert.That(headers.Select(h => h.Key), Has.None.EqualTo("Set-Cookie"));
    }
}
