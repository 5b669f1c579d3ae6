using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

public class RequestParserTests
{
    private static string Pairs(ParsedRequest request) => string.Join("|", request.Parameters.Select(p => $"{p.Key}={p.Value}"));

    [TestCase("", "")]
    [TestCase("?", "")]
    [TestCase("?w=400&h=300", "w=400|h=300")]
    [TestCase("w=400&&h=300&", "w=400|h=300")]
    [TestCase("mark&w=1", "mark=|w=1")]
    [TestCase("a=b=c", "a=b=c")]
    [TestCase("dl=my%20file.jpg", "dl=my file.jpg")]
    [TestCase("dl=a+b", "dl=a+b")]
    [TestCase("dl=%2B", "dl=+")]
    [TestCase("dl=100%25", "dl=100%")]
    [TestCase("dl=bad%zzescape%", "dl=bad%zzescape%")]
    [TestCase("dl=%E2%82%AC", "dl=€")]
    [TestCase("dl=%FF", "dl=\uFFFD")]
    [TestCase("%77=400", "w=400")]
    [TestCase("=5&w=1", "w=1")]
    [TestCase("txt64=SGVsbG8sIFdvcmxkIQ", "txt=Hello, World!")]
    [TestCase("txt64=SGVsbG8sIFdvcmxkIQ%3D%3D", "txt=Hello, World!")]
    [TestCase("txt64=SGVsbG8=", "txt=Hello")]
    [TestCase("txt64=dGhpcy9zZWVtc-KApiBwcmV0dHkgc2tldGNoeSEg8J-YgQ", "txt=this/seems… pretty sketchy! 😁")]
    [TestCase("mark64=aHR0cHM6Ly9hc3NldHMuaW1naXgubmV0L2xvZ28ucG5n", "mark=https://assets.imgix.net/logo.png")]
    [TestCase("w64=NDAw&width64=", "w=400|width=")]
    [TestCase("auto64=Zm9ybWF0&ch64=V2lkdGg&w=1", "w=1")]
    [TestCase("64=x", "64=x")]
    public void SplitsAndDecodes(string query, string expected)
    {
        var result = RequestParser.Parse(query);
        Assert.That(result.IsOk, Is.True, result.Error?.Message);
        Assert.That(Pairs(result.Value!), Is.EqualTo(expected));
    }

    [TestCase("w=1&s=ABCDEF", "ABCDEF")]
    [TestCase("s=abc&w=1", "abc")]
    [TestCase("w=1", null)]
    public void SignatureIsTakenOut(string query, string? signature)
    {
        var parsed = RequestParser.Parse(query).Value!;
        Assert.That((parsed.Signature, parsed.Parameters.Count), Is.EqualTo((signature, 1)));
    }

    [TestCase("txt64=SGVsbG8+", "txt64")]
    [TestCase("txt64=SGVsbG8/", "txt64")]
    [TestCase("txt64=a", "txt64")]
    [TestCase("txt64=!!!!", "txt64")]
    [TestCase("w64=_w", "w64")]
    [TestCase("txt64=SGVsbG8==", "txt64")]
    public void InvalidBase64Is400NamingTheParameter(string query, string name)
    {
        var error = RequestParser.Parse(query).Error;
        Assert.That(error?.Status, Is.EqualTo(400));
        Assert.That(error!.Message, Does.Contain($"'{name}'"));
    }

    [Test]
    public void MoreThanAHundredParametersIs400()
    {
        var hundred = string.Join("&", Enumerable.Range(0, 100).Select(i => $"k{i}x=1"));
        Assert.That(RequestParser.Parse(hundred).IsOk, Is.True);
        Assert.That(RequestParser.Parse(hundred + "&y=2").Error?.Status, Is.EqualTo(400));
    }

    [Test]
    public void NullIsEmpty()
    {
        Assert.That(RequestParser.Parse(null!).Value!.Parameters, Is.Empty);
    }
}
