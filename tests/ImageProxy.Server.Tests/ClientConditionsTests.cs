namespace ImageProxy.Server.Tests;

public sealed class ClientConditionsTests
{
    private const string Etag = "\"abc\"";
    private static readonly DateTimeOffset Modified = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase("\"abc\"", true)]
    [TestCase("W/\"abc\"", true)]
    [TestCase("*", true)]
    [TestCase("\"other\"", false)]
    public void If_none_match_compares_weakly_against_our_etag(string tag, bool expected)
    {
        var conditions = new ClientConditions([tag], null);

        Assert.That(conditions.IsSatisfiedBy(Etag, Modified), Is.EqualTo(expected));
    }

    [Test]
    public void If_modified_since_counts_only_without_if_none_match()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new ClientConditions([], Modified).IsSatisfiedBy(Etag, Modified), Is.True);
            Assert.That(new ClientConditions([], Modified.AddSeconds(-1)).IsSatisfiedBy(Etag, Modified), Is.False);
            Assert.That(new ClientConditions(["\"other\""], Modified).IsSatisfiedBy(Etag, Modified), Is.False);
            Assert.That(new ClientConditions([], Modified).IsSatisfiedBy(Etag, null), Is.False);
            Assert.That(ClientConditions.None.IsSatisfiedBy(Etag, Modified), Is.False);
        });
    }
}
