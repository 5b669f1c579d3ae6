using ImageProxy.Server.Caching;
using ImageProxy.Server.Http;

namespace ImageProxy.Server.Tests.Http;

public sealed class ResponseHeadersTests
{
    [TestCase("photo.jpg", "attachment; filename=\"photo.jpg\"")]
    [TestCase("my photo.png", "attachment; filename=\"my photo.png\"")]
    [TestCase("a\"b\\c/d.png", "attachment; filename=\"a_b_c_d.png\"")]
    [TestCase("résumé.png", "attachment; filename=\"r_sum_.png\"; filename*=UTF-8''r%C3%A9sum%C3%A9.png")]
    [TestCase("evil\r\nSet-Cookie: x=1.png", "attachment; filename=\"evilSet-Cookie: x=1.png\"")]
    [TestCase("\r\n", "attachment; filename=\"download\"")]
    public void Content_disposition_never_carries_request_text_raw(string name, string expected)
    {
        Assert.That(ResponseHeaders.ContentDisposition(name), Is.EqualTo(expected));
    }

    [Test]
    public void Non_ascii_names_escape_quotes_and_slashes_in_the_extended_form_too()
    {
        var value = ResponseHeaders.ContentDisposition("ü/\"x\".png");

        Assert.That(value, Is.EqualTo("attachment; filename=\"___x_.png\"; filename*=UTF-8''%C3%BC%2F%22x%22.png"));
    }

    [Test]
    public void Max_age_is_the_source_value_without_expires()
    {
        Assert.That(ResponseHeaders.MaxAge(31536000, null, DateTimeOffset.UnixEpoch), Is.EqualTo(31536000));
    }

    [Test]
    public void Max_age_is_capped_to_the_seconds_left_before_expires()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

        Assert.Multiple(() =>
        {
            Assert.That(ResponseHeaders.MaxAge(31536000, 1_000_060, now), Is.EqualTo(60));
            Assert.That(ResponseHeaders.MaxAge(30, 1_000_060, now), Is.EqualTo(30), "a shorter source max-age still wins");
        });
    }

    private static readonly SharedCacheGrants AllGrants = new(SharedMaxAgeSeconds: 86400, StaleWhileRevalidateSeconds: 60, StaleIfErrorSeconds: 600);

    private static ImageResult Result(bool stale = false) =>
        new(false, new byte[] { 1 }, "image/webp", "\"k\"", null, false, 1, 1) { Grants = AllGrants, Stale = stale };

    [Test]
    public void Cache_control_grants_caches_after_us_what_the_settings_allow()
    {
        Assert.That(ResponseHeaders.CacheControl(Result(), 600, null, DateTimeOffset.UnixEpoch),
            Is.EqualTo("public, max-age=600, s-maxage=86400, stale-while-revalidate=60, stale-if-error=600"));
    }

    [Test]
    public void A_stale_answer_is_for_this_request_only_but_keeps_the_stale_grants()
    {
        Assert.That(ResponseHeaders.CacheControl(Result(stale: true), 600, null, DateTimeOffset.UnixEpoch),
            Is.EqualTo("public, max-age=0, stale-while-revalidate=60, stale-if-error=600"));
    }

    [Test]
    public void An_expiring_url_caps_both_ages_and_gets_no_stale_grants()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);

        Assert.That(ResponseHeaders.CacheControl(Result(), 600, 1_000_030, now), Is.EqualTo("public, max-age=30, s-maxage=30"));
    }

    [Test]
    public void Without_grants_cache_control_is_max_age_alone()
    {
        var plain = Result() with { Grants = SharedCacheGrants.None };

        Assert.That(ResponseHeaders.CacheControl(plain, 600, null, DateTimeOffset.UnixEpoch), Is.EqualTo("public, max-age=600"));
    }
}
