using System.Net;
using System.Text.RegularExpressions;
using ImageProxy.Imaging;
using ImageProxy.Transform;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImageProxy.Server.Tests.EndToEnd;

public sealed partial class ImageEndpointTests : EndToEndTest
{
    [Test]
    [Category("Smoke")]
    public async Task A_resize_returns_the_requested_size_in_the_source_format()
    {
        using var response = await Get("/samples/pic.png?w=100");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(TestImages.Sniff(body), Is.EqualTo("png"));
            Assert.That(TestImages.Dimensions(body), Is.EqualTo((100, 50)));
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(body.Length));
        });
    }

    [Test]
    public async Task Fit_crop_fills_the_exact_box()
    {
        using var response = await Get("/samples/pic.png?w=50&h=50&fit=crop");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((50, 50)));
    }

    [Test]
    public async Task A_real_jpeg_from_the_corpus_is_resized()
    {
        using var response = await Get("/samples/photo.jpg?w=320");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((320, 214)).Or.EqualTo((320, 213)));
    }

    [Category("Smoke")]
    [TestCase("jpg", "image/jpeg", "jpeg", ImageFormat.Jpeg)]
    [TestCase("png", "image/png", "png", ImageFormat.Png)]
    [TestCase("webp", "image/webp", "webp", ImageFormat.WebP)]
    [TestCase("avif", "image/avif", "avif", ImageFormat.Avif)]
    [TestCase("gif", "image/gif", "gif", ImageFormat.Gif)]
    public async Task Fm_sets_the_output_format_or_is_refused_when_libvips_cannot_write_it(string fm, string contentType, string magic, ImageFormat format)
    {
        using var response = await Get($"/samples/pic.png?w=64&fm={fm}");

        if (VipsRuntime.CanSave(format))
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(contentType));
            Assert.That(TestImages.Sniff(body), Is.EqualTo(magic));
            var facts = PlanExecutor.Probe(body);
            Assert.That((facts.Width, facts.Height), Is.EqualTo((64, 32)));
        }
        else
        {
            var title = await AssertProblem(response, HttpStatusCode.BadRequest);
            Assert.That(title, Does.Contain("fm"));
        }
    }

    [Test]
    public async Task Success_headers_are_cdn_friendly()
    {
        using var response = await Get("/samples/pic.png?w=80");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(Header(response, "ETag"), Does.Match("^\"[0-9a-f]{64}\"$"), "strong ETag from the cache key");
            Assert.That(Header(response, "Cache-Control"), Is.EqualTo("public, max-age=31536000, stale-while-revalidate=60, stale-if-error=86400"),
                "the CDN directives do not depend on a result cache of our own");
            Assert.That(Header(response, "Surrogate-Key"), Does.Match("^imageproxy-src-samples imageproxy-obj-[0-9a-f]{32}$"));
            Assert.That(response.Content.Headers.LastModified, Is.Not.Null);
            Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(Header(response, "Vary"), Is.Null, "no auto=format, so the response does not depend on Accept");
            Assert.That(Header(response, "Content-Disposition"), Is.Null);
        });
    }

    [Test]
    public async Task If_none_match_with_the_etag_gives_304_without_a_body()
    {
        using var first = await Get("/samples/pic.png?w=90&auto=format", accept: "image/webp");
        var etag = Header(first, "ETag");

        using var second = await Get("/samples/pic.png?w=90&auto=format", accept: "image/webp", ifNoneMatch: etag);
        var body = await second.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
            Assert.That(body, Is.Empty);
            Assert.That(Header(second, "ETag"), Is.EqualTo(etag));
            Assert.That(Header(second, "Cache-Control"), Is.EqualTo(Header(first, "Cache-Control")));
            Assert.That(Header(second, "Surrogate-Key"), Is.EqualTo(Header(first, "Surrogate-Key")));
            Assert.That(Header(second, "Vary"), Is.EqualTo("Accept"));
        });
    }

    [Test]
    public async Task The_etag_ignores_parameter_order_but_not_the_parameters()
    {
        using var a = await Get("/samples/pic.png?w=60&h=30");
        using var b = await Get("/samples/pic.png?h=30&w=60");
        using var c = await Get("/samples/pic.png?w=61&h=30");

        Assert.That(Header(a, "ETag"), Is.EqualTo(Header(b, "ETag")));
        Assert.That(Header(a, "ETag"), Is.Not.EqualTo(Header(c, "ETag")));
    }

    [Test]
    public async Task A_stale_if_none_match_gets_the_image()
    {
        using var response = await Get("/samples/pic.png?w=90", ifNoneMatch: "\"not-the-etag\"");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Category("Smoke")]
    [TestCase("image/avif,image/webp,*/*", "image/avif", ImageFormat.Avif)]
    [TestCase("image/webp,*/*", "image/webp", ImageFormat.WebP)]
    [TestCase("image/png,image/*;q=0.8", "image/png", null)]
    [TestCase(null, "image/png", null)]
    public async Task Auto_format_negotiates_by_accept_and_always_varies(string? accept, string expected, ImageFormat? needs)
    {
        if (needs is { } format && !VipsRuntime.CanSave(format))
        {
            expected = format == ImageFormat.Avif && VipsRuntime.CanSave(ImageFormat.WebP) ? "image/webp" : "image/png";
        }

        using var response = await Get("/samples/pic.png?w=50&auto=format", accept);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(expected));
            Assert.That(Header(response, "Vary"), Is.EqualTo("Accept"));
        });
    }

    [Test]
    public async Task Source_default_params_apply_and_bring_vary_with_them()
    {
        using var response = await Get("/defaults/pic.png?w=50", accept: "image/webp");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/webp"));
            Assert.That(Header(response, "Vary"), Is.EqualTo("Accept"));
            Assert.That(Header(response, "Cache-Control"), Does.StartWith("public, max-age=600,"), "per-source cacheMaxAge");
        });
    }

    [Test]
    public async Task Head_has_the_get_headers_and_no_body()
    {
        using var get = await Get("/samples/pic.png?w=70");
        var getBody = await get.Content.ReadAsByteArrayAsync();

        using var head = await Send(HttpMethod.Head, "/samples/pic.png?w=70");
        var headBody = await head.Content.ReadAsByteArrayAsync();

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(headBody, Is.Empty);
            Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(getBody.Length));
            Assert.That(head.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            Assert.That(Header(head, "ETag"), Is.EqualTo(Header(get, "ETag")));
            Assert.That(Header(head, "Cache-Control"), Is.EqualTo(Header(get, "Cache-Control")));
        });
    }

    [Test]
    public async Task Dl_makes_an_attachment_with_a_safe_file_name()
    {
        using var plain = await Get("/samples/pic.png?w=40&dl=my%20photo.png");
        using var accented = await Get("/samples/pic.png?w=40&dl=r%C3%A9sum%C3%A9.png");

        Assert.Multiple(() =>
        {
            Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Header(plain, "Content-Disposition"), Is.EqualTo("attachment; filename=\"my photo.png\""));
            Assert.That(Header(accented, "Content-Disposition"),
                Is.EqualTo("attachment; filename=\"r_sum_.png\"; filename*=UTF-8''r%C3%A9sum%C3%A9.png"));
        });
    }

    [Test]
    public async Task Keys_are_percent_decoded()
    {
        using var response = await Get("/samples/cat%20and%20dog.png");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((40, 20)));
    }

    [Test]
    public async Task The_longest_prefix_picks_the_source()
    {
        using var response = await Get("/samples/nested/pic.png");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((30, 60)), "served from the nested source, not images/nested/");
    }

    // ---- signing ----

    [Category("Smoke")]
    [Test]
    public async Task A_correctly_signed_url_is_served()
    {
        using var response = await Get(ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/pic.png", "w=40&h=20"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_signed_url_with_an_encoded_path_and_no_query_is_served()
    {
        using var response = await Get(ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/cat%20and%20dog.png", ""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_missing_signature_is_forbidden()
    {
        using var response = await Get("/signed/pic.png?w=40");

        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_tampered_query_is_forbidden()
    {
        var signed = ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/pic.png", "w=40");

        using var response = await Get(signed.Replace("w=40", "w=41"));

        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_signature_without_the_source_prefix_is_forbidden()
    {
        var signedWithoutPrefix = ImgixSigner.Sign(ProxyApplication.SigningToken, "/pic.png", "w=40");

        using var response = await Get("/signed" + signedWithoutPrefix);

        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_signature_with_another_token_is_forbidden()
    {
        using var response = await Get(ImgixSigner.Sign("wrong-token", "/signed/pic.png", "w=40"));

        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task An_unsigned_request_to_a_signed_source_learns_nothing_about_the_object()
    {
        using var missing = await Get("/signed/does-not-exist.png");

        await AssertProblem(missing, HttpStatusCode.Forbidden);
    }

    // ---- expiry ----

    [Test]
    public async Task An_expired_url_is_gone()
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();

        using var response = await Get($"/samples/pic.png?w=40&expires={past}");

        var title = await AssertProblem(response, HttpStatusCode.Gone);
        Assert.That(title, Is.EqualTo("URL expired"));
    }

    [Test]
    public async Task A_future_expiry_caps_max_age()
    {
        var future = DateTimeOffset.UtcNow.AddSeconds(120).ToUnixTimeSeconds();

        using var response = await Get($"/samples/pic.png?w=40&expires={future}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var maxAge = int.Parse(MaxAgePattern().Match(Header(response, "Cache-Control")!).Groups[1].Value);
        Assert.That(maxAge, Is.InRange(100, 120));
    }

    // ---- errors ----

    [Test]
    public async Task A_bad_parameter_value_is_a_400_naming_it()
    {
        using var response = await Get("/samples/pic.png?w=abc");

        var title = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.That(title, Does.Contain("'w'"));
    }

    [Test]
    public async Task An_unknown_prefix_is_not_found()
    {
        using var response = await Get("/nowhere/pic.png");

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_missing_file_is_not_found()
    {
        using var response = await Get("/samples/missing.png?w=10");

        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Category("Smoke")]
    [TestCase("garbage.png")]
    [TestCase("truncated.png")]
    public async Task An_undecodable_source_is_unprocessable(string file)
    {
        using var response = await Get($"/samples/{file}?w=10");

        await AssertProblem(response, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Head_errors_have_the_status_and_no_body()
    {
        using var response = await Send(HttpMethod.Head, "/samples/missing.png");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Other_methods_are_not_allowed()
    {
        using var response = await Client.PostAsync("/samples/pic.png", new ByteArrayContent([]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [TestCase("/samples/../outside/secret.png")]
    [TestCase("/samples/%2e%2e/outside/secret.png")]
    [TestCase("/samples/%2E%2E%2Foutside%2Fsecret.png")]
    [TestCase("/samples/..%5Coutside%5Csecret.png")]
    [TestCase("/samples/pic.png%00")]
    [TestCase("/samples//tmp/secret.png")]
    public async Task Path_escapes_in_the_raw_target_are_not_found(string rawTarget)
    {
        // HttpClient would normalise these URLs before sending, so set the raw target directly. Path is set
        // to a file that exists: if the server used it instead of the raw target, the answer would be 200.
        var context = await App.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/samples/pic.png";
            c.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        });

        Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status404NotFound));
    }

    [GeneratedRegex(@"max-age=(\d+)")]
    private static partial Regex MaxAgePattern();
}
