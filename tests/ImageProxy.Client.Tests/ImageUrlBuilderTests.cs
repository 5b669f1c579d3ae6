using NUnit.Framework;

namespace ImageProxy.Client.Tests;

[TestFixture]
public sealed class ImageUrlBuilderTests
{
    public static IEnumerable<TestCaseData> UrlCases()
    {
        using var doc = JsCoreVectors.Load();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "url"))
        {
            var input = c.GetProperty("input");
            var options = new ImageUrlOptions
            {
                BaseUrl = JsCoreVectors.Domain,
                SecureToken = c.GetProperty("token").GetString(),
                DisablePathEncoding = input.GetProperty("options").TryGetProperty("disablePathEncoding", out var d) && d.GetBoolean(),
            };
            yield return new TestCaseData(options, input.GetProperty("path").GetString()!, JsCoreVectors.Parameters(c),
                    c.GetProperty("urls")[0].GetProperty("url").GetString()!)
                .SetName($"js-core buildURL: {c.GetProperty("name").GetString()}");
        }
    }

    [TestCaseSource(nameof(UrlCases))]
    public void Builds_the_url_js_core_built(ImageUrlOptions options, string path, ImageParameters parameters, string expected)
    {
        Assert.That(new ImageUrlBuilder(options).BuildUrl(path, parameters), Is.EqualTo(expected));
    }

    [Test]
    public void Without_a_token_the_url_is_encoded_the_same_way_but_not_signed()
    {
        var urls = new ImageUrlBuilder(new ImageUrlOptions { BaseUrl = "https://img.example.com/" });
        Assert.That(urls.Signs, Is.False);
        Assert.That(urls.BuildUrl("products/my shoe.jpg", ImageParameters.Parse("w=400&txt64=Hi there&bg=%23fff")),
            Is.EqualTo("https://img.example.com/products/my%20shoe.jpg?w=400&txt64=SGkgdGhlcmU&bg=%23fff"));
    }

    [Test]
    public void Expires_is_the_last_signed_parameter()
    {
        var urls = new ImageUrlBuilder(new ImageUrlOptions { SecureToken = "FOO123bar" });
        var url = urls.BuildUrl("/a.jpg", ImageParameters.Parse("w=10"), DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));
        Assert.That(url, Does.StartWith("/a.jpg?w=10&expires=2000000000&s="));
        var signature = url[(url.LastIndexOf("s=", StringComparison.Ordinal) + 2)..];
        Assert.That(signature, Is.EqualTo(UrlSigner.ComputeSignature("FOO123bar", "/a.jpg", "?w=10&expires=2000000000")));
    }

    [Test]
    public void Parse_keeps_order_decodes_escapes_and_lets_a_repeat_replace_in_place()
    {
        var parameters = ImageParameters.Parse("?fit=crop&w=1&txt=a%20b+c&w=2");
        Assert.That(parameters.Select(p => $"{p.Key}={p.Value}"), Is.EqualTo(new[] { "fit=crop", "w=2", "txt=a b+c" }));
    }
}
