using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Tests;

/// <summary>The 304 decision (<see cref="ImageResult.For"/>): one shared result, each caller's own conditions.</summary>
public sealed class ImageResultTests
{
    private static readonly DateTimeOffset Modified = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ImageResult Rendered =
        new(false, new byte[] { 1, 2, 3 }, "image/webp", "\"abc\"", Modified, VaryOnAccept: true, 10, 7) { Tier = CacheTier.Disk };

    [Test]
    public void A_caller_holding_the_tag_gets_a_304_without_the_body_but_with_the_validators()
    {
        // A CDN in between may have weakened our tag.
        var answer = Rendered.For(new ClientConditions(["\"other\"", "W/\"abc\""], null));

        Assert.Multiple(() =>
        {
            Assert.That(answer.NotModified, Is.True);
            Assert.That(answer.Body.IsEmpty, Is.True);
            Assert.That(answer.ETag, Is.EqualTo("\"abc\""));
            Assert.That(answer.LastModified, Is.EqualTo(Modified));
            Assert.That(answer.VaryOnAccept, Is.True, "a 304 varies like the 200 it stands for");
            Assert.That(answer.Tier, Is.EqualTo(CacheTier.Disk));
        });
    }

    [Test]
    public void A_caller_with_another_tag_gets_the_body_even_if_its_date_is_recent()
    {
        // If-Modified-Since is ignored once If-None-Match is sent (RFC 9110 13.2.2).
        var answer = Rendered.For(new ClientConditions(["\"old\""], Modified.AddDays(1)));

        Assert.Multiple(() =>
        {
            Assert.That(answer.NotModified, Is.False);
            Assert.That(answer.Body.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    [Test]
    public void A_date_only_condition_decides_by_last_modified()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rendered.For(new ClientConditions([], Modified)).NotModified, Is.True);
            Assert.That(Rendered.For(new ClientConditions([], Modified.AddSeconds(-1))).NotModified, Is.False);
            Assert.That(Rendered.For(ClientConditions.None).NotModified, Is.False);
        });
    }
}
