using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>imgix's published vectors (its libraries' tests and docs), our example, tampering, rotation, junk.</summary>
public class SignatureTests
{
    [TestCase("FOO123bar", "/users/1.png", "", "6797c24146142d5b40bde3141fd3600c")]
    [TestCase("FOO123bar", "/http%3A%2F%2Favatars.com%2Fjohn-smith.png", "", "493a52f008c91416351f8b33d4883135")]
    [TestCase("FOO123bar", "/users/1.png", "?w=400&h=300", "c7b86f666a832434dd38577e38cf86d1")]
    [TestCase("FOO123bar", "/users/1.png", "?h=300&w=400", "1a4e48641614d1109c6a7af51be23d18")]
    [TestCase("FOO123bar", "/http%3A%2F%2Favatars.com%2Fjohn-smith.png", "?w=400&h=300", "61ea1cc7add87653bb0695fe25f2b534")]
    [TestCase("FOO123bar", "/http%3A%2F%2Favatars.com%2Fjohn-smith.png", "?h=300&w=400", "a201fe1a3caef4944dcb40f6ce99e746")]
    [TestCase("aaAAbbBB11223344", "/gaiman.jpg", "", "db6110637ad768e4b1d503cb96e6439a")]
    [TestCase("aaAAbbBB11223344", "/gaiman.jpg", "?w=500&h=1000", "fc4afbc39b6741560717142aeada876c")]
    [TestCase("aaAAbbBB11223344", "/test/gaiman.jpg", "", "51033c27726f19c0f8229a1ed2dc8523")]
    [TestCase("10adc394", "/images/demo.png", "?h=200&w=200", "d570a1ecd765470f7b34a69b56718a7a")]
    [TestCase("10adc394", "/images/demo.png", "?mark&h=200&w=200", "70e6fd73fad79125c3596c0575a6e4cf")]
    [TestCase("abcde1234", "/file+with%20some+crazy%20things.jpg", "", "4aadfc1a58f27729a41d05831c52116f")]
    [TestCase("MYT0KEN", "images/1.png", "", "6d82410f89cc6d80a6aa9888dcf85825")]
    [TestCase("MYT0KEN", "images/1.png", "?w=400", "990916ef8cc640c58d909833e47f6c31")]
    [TestCase("MyS3cr3tT0ken", "/photos/cat%20and%20dog.jpg", "?w=400&h=300&fit=crop&txt64=SGksIGltZ2l4IQ&expires=1893456000", "67f6cabbf6170ae17abcda610b3b0748")]
    [TestCase("MyS3cr3tT0ken", "/photos/cat%20and%20dog.jpg", "?ixlib=js-3.8.0&w=400&h=300&fit=crop&txt64=SGksIGltZ2l4IQ&expires=1893456000", "898a20a83afa20ba61e04325deb9a550")]
    [TestCase("MyS3cr3tT0ken", "/photos/cat%20and%20dog.jpg", "?fit=crop&h=300&w=400&txt64=SGksIGltZ2l4IQ&expires=1893456000", "b681a343951c58127ca66dabdcb4c534")]
    [TestCase("MyS3cr3tT0ken", "/photos/cat%20and%20dog.jpg", "", "07f71a1bb897de823c5db92d33343eab")]
    public void ComputeAndVerifyMatchTheVectors(string token, string path, string query, string expected)
    {
        Assert.That(Signature.Compute(token, path, query), Is.EqualTo(expected));

        var signedQuery = query.Length == 0 ? "?s=" + expected : query + "&s=" + expected;
        Assert.Multiple(() =>
        {
            Assert.That(Signature.Verify([token], path, signedQuery), Is.True, "with '?'");
            Assert.That(Signature.Verify([token], path, signedQuery[1..]), Is.True, "without '?'");
            Assert.That(Signature.Verify([token], path, signedQuery[..^32] + expected.ToUpperInvariant()), Is.True, "upper-case hex");
            Assert.That(Signature.VerifyTarget([token], path + signedQuery), Is.True, "whole target");
        });
    }

    [Test]
    public void FinalUrlOfOurExampleVerifies()
    {
        const string Target = "/photos/cat%20and%20dog.jpg?w=400&h=300&fit=crop&txt64=SGksIGltZ2l4IQ&expires=1893456000&s=67f6cabbf6170ae17abcda610b3b0748";
        Assert.That(Signature.VerifyTarget(["MyS3cr3tT0ken"], Target), Is.True);
    }

    private const string Path = "/users/1.png";
    private const string Token = "FOO123bar";

    [TestCase("w=400&h=300&s=C7B86F666A832434DD38577E38CF86D1", true, TestName = "upper-case hex is accepted")]
    [TestCase("s=c7b86f666a832434dd38577e38cf86d1&w=400&h=300", true, TestName = "s first is removed wherever it stands")]
    [TestCase("w=400&s=c7b86f666a832434dd38577e38cf86d1&h=300", true, TestName = "s in the middle is removed")]
    [TestCase("w=401&h=300&s=c7b86f666a832434dd38577e38cf86d1", false, TestName = "changed parameter fails")]
    [TestCase("h=300&w=400&s=c7b86f666a832434dd38577e38cf86d1", false, TestName = "reordered parameters fail")]
    [TestCase("w=400&h=300&fm=png&s=c7b86f666a832434dd38577e38cf86d1", false, TestName = "added parameter fails")]
    [TestCase("w=400&h=300", false, TestName = "missing s fails")]
    [TestCase("w=400&h=300&s=", false, TestName = "empty s fails")]
    [TestCase("w=400&h=300&s=c7b86f666a832434dd38577e38cf86d", false, TestName = "short s fails")]
    [TestCase("w=400&h=300&s=c7b86f666a832434dd38577e38cf86dz", false, TestName = "non-hex s fails")]
    [TestCase("w=400&h=300&S=c7b86f666a832434dd38577e38cf86d1", false, TestName = "the key S is not s")]
    public void VerifiesOnlyTheExactQuery(string query, bool valid)
    {
        Assert.That(Signature.Verify([Token], Path, query), Is.EqualTo(valid));
    }

    [Test]
    public void ChangedPathFails()
    {
        Assert.That(Signature.Verify([Token], "/users/2.png", "w=400&h=300&s=c7b86f666a832434dd38577e38cf86d1"), Is.False);
        Assert.That(Signature.Verify([Token], "/users/1%2Epng", "w=400&h=300&s=c7b86f666a832434dd38577e38cf86d1"), Is.False);
    }

    [Test]
    public void AnyOfSeveralTokensWorks()
    {
        const string Query = "w=400&h=300&s=c7b86f666a832434dd38577e38cf86d1";
        Assert.That(Signature.Verify(["new-token", Token], Path, Query), Is.True);
        Assert.That(Signature.Verify([Token, "new-token"], Path, Query), Is.True);
        Assert.That(Signature.Verify(["new-token", "older"], Path, Query), Is.False);
        Assert.That(Signature.Verify([], Path, Query), Is.False);
        Assert.That(Signature.Verify(["", null!], Path, Query), Is.False, "empty tokens never verify");
    }

    [TestCase(null, null)]
    [TestCase("", "")]
    [TestCase("/x", "s")]
    [TestCase("/x", "&&&s=&s=&=&")]
    [TestCase("/%%%\uD800", "s=\uD800\uDC00\uD800&&")]
    [TestCase("/x", "?s=00000000000000000000000000000000")]
    public void NeverThrowsOnJunk(string? path, string? query)
    {
        Assert.DoesNotThrow(() => Signature.Verify(["t"], path!, query!));
        Assert.DoesNotThrow(() => Signature.VerifyTarget(["t"], query!));
        Assert.DoesNotThrow(() => Signature.Verify(null!, path!, query!));
    }
}
