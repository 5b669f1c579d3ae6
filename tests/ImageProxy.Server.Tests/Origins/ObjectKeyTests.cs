using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins;

public sealed class ObjectKeyTests
{
    [TestCase("photo.jpg", "photo.jpg")]
    [TestCase("dir/sub/photo.jpg", "dir/sub/photo.jpg")]
    [TestCase("cat%20and%20dog.jpg", "cat and dog.jpg")]
    [TestCase("caf%C3%A9.png", "café.png")]
    [TestCase("100%25.png", "100%.png")]
    [TestCase("%252e%252e/x.png", "%2e%2e/x.png")] // decoded once only: a literal "%2e%2e" directory, not a parent
    [TestCase("a+b.png", "a+b.png")] // '+' is not a space in a path
    public void Safe_keys_are_decoded_exactly_once(string raw, string expected)
    {
        Assert.That(ObjectKey.TryDecode(raw, out var key), Is.True);
        Assert.That(key, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("../secret.png")]
    [TestCase("a/../../secret.png")]
    [TestCase("%2e%2e/secret.png")]
    [TestCase("%2E%2E/secret.png")]
    [TestCase("a/%2e%2e/%2e%2e/secret.png")]
    [TestCase("a%2F..%2F..%2Fsecret.png")]
    [TestCase("..%5Csecret.png")]
    [TestCase("a\\..\\secret.png")]
    [TestCase("photo.png%00.jpg")]
    [TestCase("/etc/passwd")]
    [TestCase("%2Fetc%2Fpasswd")]
    [TestCase("a//b.png")]
    [TestCase("./a.png")]
    [TestCase("a/")]
    [TestCase("line%0Abreak.png")]
    public void Traversal_and_smuggling_attempts_are_refused(string raw)
    {
        Assert.That(ObjectKey.TryDecode(raw, out _), Is.False);
    }
}
