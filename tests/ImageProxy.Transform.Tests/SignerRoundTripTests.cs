using ImageProxy.Client;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>The client's signer (shared with the server) and the server's verifier agree.</summary>
public sealed class SignerRoundTripTests
{
    [Test]
    public void A_signed_url_verifies_and_a_changed_one_does_not()
    {
        var signed = UrlSigner.Sign("secret", "/signed/a b.jpg", [new("w", "100"), new("expires", "2000000000")]);
        Assert.That(Signature.VerifyTarget(["secret"], signed), Is.True);
        Assert.That(Signature.VerifyTarget(["secret"], signed.Replace("w=100", "w=101")), Is.False);
    }
}
