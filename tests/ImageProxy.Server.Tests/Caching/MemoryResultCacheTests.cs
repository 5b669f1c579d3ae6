using ImageProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

public sealed class MemoryResultCacheTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly SourceObject _shoe = new("products", "shoe.jpg");
    private readonly SourceObject _hat = new("products", "hat.jpg");

    private static string Key(char c) => new(c, 64);

    private CacheEntry Entry(string key, int size, CacheEntryKind kind = CacheEntryKind.Result, TimeSpan? lifetime = null) =>
        CacheEntry.Create(key, kind, new byte[size], "image/webp", "\"v1\"", _clock.GetUtcNow(), lifetime ?? TimeSpan.FromHours(1));

    [Test]
    public void KeepsSmallResultsAndRecordsButNeverOriginalsOrLargeResults()
    {
        var memory = new MemoryResultCache(1 << 20, 1000, _clock);
        memory.Set(_shoe, Entry(Key('a'), 500));
        memory.Set(_shoe, Entry(CacheAddresses.Record, 100, CacheEntryKind.Record));
        memory.Set(_shoe, Entry(CacheAddresses.Original, 10, CacheEntryKind.Original));
        memory.Set(_shoe, Entry(Key('b'), 1001));

        Assert.Multiple(() =>
        {
            Assert.That(memory.Get(_shoe, Key('a')), Is.Not.Null);
            Assert.That(memory.Get(_shoe, CacheAddresses.Record), Is.Not.Null);
            Assert.That(memory.Get(_shoe, CacheAddresses.Original), Is.Null);
            Assert.That(memory.Get(_shoe, Key('b')), Is.Null);
            Assert.That(memory.Get(_hat, Key('a')), Is.Null, "entries belong to their object");
        });
    }

    [Test]
    public void StaysWithinItsBudgetByDroppingTheLeastRecentlyUsed()
    {
        // Budget for about four 10 KB entries (plus the per-entry overhead).
        var memory = new MemoryResultCache(45_000, 20_000, _clock);
        memory.Set(_shoe, Entry(Key('a'), 10_000));
        memory.Set(_shoe, Entry(Key('b'), 10_000));
        memory.Set(_shoe, Entry(Key('c'), 10_000));
        memory.Set(_shoe, Entry(Key('d'), 10_000));
        Assert.That(memory.Get(_shoe, Key('a')), Is.Not.Null); // a is now the most recently used
        memory.Set(_shoe, Entry(Key('e'), 10_000));

        Assert.Multiple(() =>
        {
            Assert.That(memory.Bytes, Is.LessThanOrEqualTo(45_000));
            Assert.That(memory.Get(_shoe, Key('b')), Is.Null, "b was the least recently used");
            Assert.That(memory.Get(_shoe, Key('a')), Is.Not.Null);
            Assert.That(memory.Get(_shoe, Key('e')), Is.Not.Null);
        });
    }

    [Test]
    public void ExpiredEntriesAreNotServed()
    {
        var memory = new MemoryResultCache(1 << 20, 1 << 20, _clock);
        memory.Set(_shoe, Entry(Key('a'), 10, lifetime: TimeSpan.FromMinutes(1)));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(memory.Get(_shoe, Key('a')), Is.Null);
            Assert.That(memory.Count, Is.Zero);
            Assert.That(memory.Bytes, Is.Zero);
        });
    }

    [Test]
    public void AReplacedEntryIsServedInItsNewVersionAndAccountedOnce()
    {
        var memory = new MemoryResultCache(1 << 20, 1 << 20, _clock);
        memory.Set(_shoe, Entry(Key('a'), 100));
        var newer = CacheEntry.Create(Key('a'), CacheEntryKind.Result, new byte[] { 1, 2, 3 }, "image/png", "\"v2\"", _clock.GetUtcNow(), TimeSpan.FromHours(1));
        memory.Set(_shoe, newer);

        Assert.Multiple(() =>
        {
            Assert.That(memory.Get(_shoe, Key('a'))!.Body.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(memory.Count, Is.EqualTo(1));
            Assert.That(memory.Bytes, Is.LessThan(1000));
        });
    }

    [Test]
    public async Task TheTieredCacheFillsMemoryFromDiskAndAPurgeEmptiesBoth()
    {
        using var dir = new TempDirectory();
        var disk = new DiskResultCache(dir.Path, _clock, NullLogger<DiskResultCache>.Instance);
        var memory = new MemoryResultCache(1 << 20, 1 << 20, _clock);
        await disk.SetAsync(_shoe, Entry(Key('a'), 100), CancellationToken.None);
        await disk.SetAsync(_hat, Entry(Key('a'), 100), CancellationToken.None);
        var tiers = new TieredCache(disk, null, null, NullLogger<TieredCache>.Instance, memory);

        var first = await tiers.GetWithTierAsync(_shoe, Key('a'), CancellationToken.None);
        var second = await tiers.GetWithTierAsync(_shoe, Key('a'), CancellationToken.None);
        await tiers.GetWithTierAsync(_hat, Key('a'), CancellationToken.None);
        await tiers.PurgeAsync(_shoe, CancellationToken.None);
        var afterPurge = await tiers.GetWithTierAsync(_shoe, Key('a'), CancellationToken.None);
        var other = await tiers.GetWithTierAsync(_hat, Key('a'), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Tier, Is.EqualTo(CacheTier.Disk));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.Memory));
            Assert.That(afterPurge.Tier, Is.EqualTo(CacheTier.None));
            Assert.That(other.Tier, Is.EqualTo(CacheTier.Memory));
        });
    }
}
