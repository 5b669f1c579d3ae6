using ImageProxy.Server.Caching;

namespace ImageProxy.Server.Tests.Caching;

public sealed class LruTableTests
{
    [Test]
    public void PastTheBudgetTheLeastRecentlyUsedGoFirstDownToNinetyPercent()
    {
        var table = new LruTable<string, string>(budget: 10);
        foreach (var key in new[] { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" })
        {
            table.Set(key, key.ToUpperInvariant(), cost: 1);
        }

        Assert.That(table.TryGet("a", out _), Is.True); // a is now the most recently used
        table.Set("k", "K", cost: 1);

        Assert.Multiple(() =>
        {
            Assert.That(table.Cost, Is.EqualTo(9));
            Assert.That(table.Count, Is.EqualTo(9));
            Assert.That(table.TryGet("a", out var a) ? a : null, Is.EqualTo("A"));
            Assert.That(table.TryGet("b", out _), Is.False, "least recently used");
            Assert.That(table.TryGet("c", out _), Is.False, "next least recently used");
            Assert.That(table.TryGet("k", out _), Is.True);
        });
    }

    [Test]
    public void ReplacingAnEntryChargesOnlyTheDifference()
    {
        var table = new LruTable<string, string>(budget: 100);
        table.Set("a", "small", cost: 10);
        table.Set("a", "large", cost: 30);
        table.Set("b", "other", cost: 5);

        Assert.Multiple(() =>
        {
            Assert.That(table.Cost, Is.EqualTo(35));
            Assert.That(table.TryGet("a", out var a) ? a : null, Is.EqualTo("large"));
        });
    }

    [Test]
    public void AnEntryAboveTheWholeBudgetIsNotKeptAndDropsTheOlderOne()
    {
        var table = new LruTable<string, string>(budget: 10);
        table.Set("a", "fits", cost: 5);
        table.Set("a", "too big", cost: 11);

        Assert.Multiple(() =>
        {
            Assert.That(table.TryGet("a", out _), Is.False);
            Assert.That(table.Cost, Is.Zero);
        });
    }

    [Test]
    public void RemovingAValueLeavesANewerOneUnderTheSameKeyAlone()
    {
        var table = new LruTable<string, string>(budget: 10);
        var older = new string('x', 3);
        var newer = new string('y', 3);
        table.Set("a", older, cost: 1);
        table.Set("a", newer, cost: 1);
        table.Remove("a", older);

        Assert.That(table.TryGet("a", out var left) ? left : null, Is.SameAs(newer));
        table.Remove("a", newer);
        Assert.Multiple(() =>
        {
            Assert.That(table.TryGet("a", out _), Is.False);
            Assert.That(table.Cost, Is.Zero);
        });
    }

    [Test]
    public void RemoveWhereTakesOutTheMatchesOnly()
    {
        var table = new LruTable<(string Object, string Key), string>(budget: 100);
        table.Set(("shoe", "1"), "s1", cost: 2);
        table.Set(("shoe", "2"), "s2", cost: 2);
        table.Set(("hat", "1"), "h1", cost: 2);
        table.RemoveWhere((key, _) => key.Object == "shoe");

        Assert.Multiple(() =>
        {
            Assert.That(table.Count, Is.EqualTo(1));
            Assert.That(table.Cost, Is.EqualTo(2));
            Assert.That(table.TryGet(("hat", "1"), out _), Is.True);
        });
    }

    [Test]
    public void EveryValueThatLeavesIsReportedExactlyOnce()
    {
        var left = new List<string>();
        var table = new LruTable<string, string>(budget: 3, left.Add);
        table.Set("a", "a1", cost: 1);
        table.Set("a", "a2", cost: 1);      // replaces a1
        table.Set("b", "b1", cost: 1);
        table.Set("c", "c1", cost: 1);
        table.Set("d", "d1", cost: 1);      // over budget: the least recently used (a2) goes
        table.Remove("b");
        table.Remove("c", "not c1");        // not the current value: nothing leaves
        var kept = table.Set("e", "too big", cost: 4);
        table.Clear();

        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.False, "a value above the budget stays the caller's");
            Assert.That(left.Take(3), Is.EqualTo(new[] { "a1", "a2", "b1" }));
            Assert.That(left.Skip(3).Order(), Is.EqualTo(new[] { "c1", "d1" }), "cleared, in no particular order");
            Assert.That(table.Count, Is.Zero);
        });
    }
}
