using System.Net;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary><c>ch=</c> through the real server: hint headers size the output (bucketed), and the response says so.</summary>
public sealed class ClientHintTests : EndToEndTest
{
    [OneTimeSetUp]
    public void AddAPhoto()
    {
        // A real JPEG from the repository's samples, so Save-Data's quality drop shows in the byte count.
        File.Copy(Path.Combine(RepositoryPaths.Root, "samples/garden-1600x1000.jpg"), Path.Combine(App.Directory, "images", "garden.jpg"), overwrite: true);
    }

    private async Task<HttpResponseMessage> GetWithHints(string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request);
    }

    [Test]
    public async Task A_width_hint_is_snapped_up_to_a_bucket_and_named_in_vary()
    {
        // pic.png is 200x100; fit=clip may upscale, so the bucket above 150 (156) is the output width.
        using var response = await GetWithHints("/samples/pic.png?w=50&ch=Width,DPR", ("Sec-CH-Width", "150"), ("Sec-CH-DPR", "2"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(TestImages.Dimensions(body), Is.EqualTo((156, 78)));
        Assert.That(Header(response, "Vary"), Is.EqualTo("Sec-CH-Width"));
        Assert.That(Header(response, "Accept-CH"), Is.EqualTo("Sec-CH-Width, Width, Sec-CH-DPR, DPR"));
        Assert.That(Header(response, "Content-DPR"), Is.Null, "the DPR hint did not shape a Width-hinted answer");
    }

    [Test]
    public async Task Fit_max_never_goes_above_the_source_whatever_the_hint()
    {
        using var response = await GetWithHints("/samples/pic.png?fit=max&ch=Width", ("Sec-CH-Width", "700"));
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo((200, 100)));
    }

    [Test]
    public async Task A_dpr_hint_multiplies_w_sends_content_dpr_and_varies_with_auto_format()
    {
        using var response = await GetWithHints("/samples/pic.png?w=60&auto=format&ch=Width,DPR", ("Sec-CH-DPR", "2"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.That(TestImages.Dimensions(body), Is.EqualTo((120, 60)));
        Assert.That(Header(response, "Content-DPR"), Is.EqualTo("2"));
        Assert.That(Header(response, "Vary"), Is.EqualTo("Accept, Sec-CH-Width, Width, Sec-CH-DPR"));
    }

    [Test]
    public async Task Save_data_lowers_the_quality_so_the_file_is_smaller()
    {
        using var full = await GetWithHints("/samples/garden.jpg?w=400&ch=Save-Data");
        using var saving = await GetWithHints("/samples/garden.jpg?w=400&ch=Save-Data", ("Save-Data", "on"));
        var fullBytes = await full.Content.ReadAsByteArrayAsync();
        var savingBytes = await saving.Content.ReadAsByteArrayAsync();

        Assert.That(Header(saving, "Vary"), Is.EqualTo("Save-Data"));
        Assert.That(TestImages.Dimensions(savingBytes), Is.EqualTo(TestImages.Dimensions(fullBytes)));
        Assert.That(savingBytes.Length, Is.LessThan(fullBytes.Length * 0.8), $"q=45 vs q=75: {savingBytes.Length} vs {fullBytes.Length} bytes");
        Assert.That(saving.Headers.ETag, Is.Not.EqualTo(full.Headers.ETag));
    }

    [Test]
    public async Task Two_hints_in_one_bucket_share_one_cached_variant()
    {
        using var first = await GetWithHints("/samples/pic.png?w=10&ch=Width", ("Sec-CH-Width", "101"));
        using var second = await GetWithHints("/samples/pic.png?w=10&ch=Width", ("Sec-CH-Width", "115"));

        // The ETag is the cache key: equal ETags are one variant.
        Assert.That(first.Headers.ETag, Is.Not.Null);
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(TestImages.Dimensions(await second.Content.ReadAsByteArrayAsync()), Is.EqualTo((116, 58)));
    }

    [Test]
    public async Task Without_ch_hint_headers_are_ignored_and_not_varied_on()
    {
        using var response = await GetWithHints("/samples/pic.png?w=50", ("Sec-CH-Width", "150"), ("Save-Data", "on"));
        Assert.That(TestImages.Dimensions(await response.Content.ReadAsByteArrayAsync()), Is.EqualTo((50, 25)));
        Assert.That(Header(response, "Vary"), Is.Null);
        Assert.That(Header(response, "Accept-CH"), Is.Null);
    }
}
