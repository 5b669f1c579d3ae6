using ImageProxy.Server.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

public sealed class DiskResultCacheTests
{
    private static readonly string KeyA = new('a', 64);
    private static readonly string KeyB = new('b', 64);
    private TempDirectory _dir = null!;
    private FakeTimeProvider _clock = null!;
    private readonly SourceObject _shoe = new("products", "shoe.jpg");

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private DiskResultCache Disk(CapturingLogger<DiskResultCache>? log = null) => new(_dir.Path, _clock, log ?? new CapturingLogger<DiskResultCache>());

    private CacheEntry Entry(string key, int size = 100, TimeSpan? lifetime = null) =>
        CacheEntry.Create(key, CacheEntryKind.Result, Enumerable.Range(0, size).Select(i => (byte)i).ToArray(), "image/webp", "\"v1\"",
            _clock.GetUtcNow(), lifetime ?? TimeSpan.FromHours(1), 40, 30);

    [Test]
    public async Task RoundTripsBodyAndMetadata()
    {
        var disk = Disk();
        var entry = Entry(KeyA);
        await disk.SetAsync(_shoe, entry, CancellationToken.None);

        var read = await disk.GetAsync(_shoe, KeyA, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(read!.Body.ToArray(), Is.EqualTo(entry.Body.ToArray()));
            Assert.That(read.Metadata, Is.EqualTo(entry.Metadata));
            Assert.That(Directory.EnumerateFiles(Path.Combine(_dir.Path, "tmp")), Is.Empty, "no temp file left behind");
        });
    }

    [Test]
    public async Task ExpiredEntriesAreDeletedOnRead()
    {
        var disk = Disk();
        await disk.SetAsync(_shoe, Entry(KeyA, lifetime: TimeSpan.FromMinutes(1)), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Null);
        Assert.That(File.Exists(disk.EntryPath(_shoe, KeyA)), Is.False);
    }

    [TestCase(0, TestName = "Empty file")]
    [TestCase(5, TestName = "Torn inside the header")]
    [TestCase(60, TestName = "Torn inside the metadata")]
    [TestCase(-10, TestName = "Torn inside the body")]
    public async Task TornWritesAreNeverServed(int keepBytes)
    {
        var disk = Disk();
        await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
        var path = disk.EntryPath(_shoe, KeyA);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(keepBytes >= 0 ? keepBytes : bytes.Length + keepBytes)]);

        // A "restart": a new instance over the same directory.
        Assert.That(await Disk().GetAsync(_shoe, KeyA, CancellationToken.None), Is.Null);
        Assert.That(File.Exists(path), Is.False, "the broken entry is deleted");
    }

    [Test]
    public async Task ABodyFlippedInPlaceAfterAVerifiedReadIsStillCaught()
    {
        // The checksum is skipped only for a file already verified with the same length and mtime; rewriting the
        // file (same length, one byte changed) moves its mtime, so the same instance must hash it again.
        var log = new CapturingLogger<DiskResultCache>();
        var disk = Disk(log);
        await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
        Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Not.Null, "first read verifies");
        var path = disk.EntryPath(_shoe, KeyA);
        var bytes = await File.ReadAllBytesAsync(path);
        var before = File.GetLastWriteTimeUtc(path);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
        File.SetLastWriteTimeUtc(path, before.AddSeconds(1));

        Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Null);
        Assert.That(File.Exists(path), Is.False, "the corrupt entry is deleted");
    }

    [Test]
    public async Task RepeatedReadsOfAnUnchangedFileServeTheSameBytes()
    {
        var disk = Disk();
        var entry = Entry(KeyA, size: 5000);
        await disk.SetAsync(_shoe, entry, CancellationToken.None);

        var reads = new List<CacheEntry?>();
        for (var i = 0; i < 3; i++)
        {
            reads.Add(await disk.GetAsync(_shoe, KeyA, CancellationToken.None));
        }

        Assert.That(reads.Select(r => r?.Body.ToArray()), Has.All.EqualTo(entry.Body.ToArray()));
    }

    [Test]
    public async Task AnEntryStoredUnderTheWrongKeyIsNotServed()
    {
        var disk = Disk();
        await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
        File.Copy(disk.EntryPath(_shoe, KeyA), disk.EntryPath(_shoe, KeyB));

        Assert.That(await disk.GetAsync(_shoe, KeyB, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task PurgeRemovesEveryEntryOfTheObjectOnly()
    {
        var disk = Disk();
        var boot = new SourceObject("products", "boot.jpg");
        await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
        await disk.SetAsync(_shoe, Entry(KeyB), CancellationToken.None);
        await disk.SetAsync(_shoe, Entry(CacheAddresses.Original), CancellationToken.None);
        await disk.SetAsync(boot, Entry(KeyA), CancellationToken.None);

        await disk.PurgeAsync(_shoe, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Null);
            Assert.That(await disk.GetAsync(_shoe, KeyB, CancellationToken.None), Is.Null);
            Assert.That(await disk.GetAsync(_shoe, CacheAddresses.Original, CancellationToken.None), Is.Null);
            Assert.That(await disk.GetAsync(boot, KeyA, CancellationToken.None), Is.Not.Null);
        });
    }

    [Test]
    public async Task AFileHeldOpenSinceItsLastReadIsNotServedAfterAPurgeARewriteOrTheJanitor()
    {
        using var disk = Disk();
        var boot = new SourceObject("products", "boot.jpg");
        await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
        await disk.SetAsync(_shoe, Entry(KeyB, size: 300), CancellationToken.None);
        await disk.SetAsync(boot, Entry(KeyA), CancellationToken.None);
        foreach (var (owner, key) in new[] { (_shoe, KeyA), (_shoe, KeyB), (boot, KeyA) })
        {
            Assert.That(await disk.GetAsync(owner, key, CancellationToken.None), Is.Not.Null, "read once: now held open");
        }

        await disk.PurgeAsync(_shoe, CancellationToken.None);
        var afterPurge = await disk.GetAsync(_shoe, KeyA, CancellationToken.None);
        await disk.SetAsync(_shoe, Entry(KeyA, size: 150), CancellationToken.None);
        Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Not.Null, "held open again");
        var rewritten = Entry(KeyA, size: 200);
        await disk.SetAsync(_shoe, rewritten, CancellationToken.None);
        var afterRewrite = await disk.GetAsync(_shoe, KeyA, CancellationToken.None);
        File.Delete(disk.EntryPath(boot, KeyA));
        disk.Forget(disk.EntryPath(boot, KeyA)); // what the janitor does after its delete
        var afterJanitor = await disk.GetAsync(boot, KeyA, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(afterPurge, Is.Null);
            Assert.That(afterRewrite?.Body.ToArray(), Is.EqualTo(rewritten.Body.ToArray()));
            Assert.That(afterJanitor, Is.Null);
        });
    }

    [Test]
    public async Task AnUnwritableDirectoryIsLoggedOnceAndNeverThrows()
    {
        // A path under a regular file can never be created: the same failure as a read-only or full disk.
        var blocker = Path.Combine(_dir.Path, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "x");
        var log = new CapturingLogger<DiskResultCache>();
        var disk = new DiskResultCache(Path.Combine(blocker, "cache"), _clock, log);

        for (var i = 0; i < 5; i++)
        {
            await disk.SetAsync(_shoe, Entry(KeyA), CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await disk.GetAsync(_shoe, KeyA, CancellationToken.None), Is.Null);
            Assert.That(log.Count("CacheDiskUnwritable"), Is.EqualTo(1));
        });
    }

    [Test]
    public void KeysThatAreNotCacheKeysNeverBecomePaths()
    {
        var disk = Disk();
        Assert.Throws<ArgumentException>(() => disk.EntryPath(_shoe, "../../etc/passwd"));
    }

    [Test]
    public async Task JanitorEvictsLeastRecentlyUsedDownToTheBudgetAndDropsExpiredAndOrphans()
    {
        var disk = Disk();
        var keys = Enumerable.Range(0, 6).Select(i => new string((char)('a' + i), 64)).ToArray();
        foreach (var key in keys)
        {
            await disk.SetAsync(_shoe, Entry(key, size: 1000), CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        await disk.SetAsync(_shoe, Entry(CacheAddresses.Original, size: 10, lifetime: TimeSpan.FromSeconds(1)), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        // The oldest entry was used recently: it must outlive younger, unused ones.
        await disk.GetAsync(_shoe, keys[0], CancellationToken.None);
        var orphan = Path.Combine(_dir.Path, "tmp", "crashed.tmp");
        await File.WriteAllTextAsync(orphan, "half a write");
        File.SetLastWriteTimeUtc(orphan, DateTime.UtcNow - TimeSpan.FromHours(1));

        var entrySize = new FileInfo(disk.EntryPath(_shoe, keys[0])).Length;
        var options = Options.Create(new CachingOptions { ResultCache = { MaxDiskBytes = entrySize * 3 } });
        var janitor = new DiskCacheJanitor(disk, options, _clock, NullLogger<DiskCacheJanitor>.Instance);
        var remaining = janitor.Sweep();

        var survivors = keys.Where(k => File.Exists(disk.EntryPath(_shoe, k))).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(remaining, Is.LessThanOrEqualTo(entrySize * 3));
            Assert.That(survivors, Is.EqualTo(new[] { keys[0], keys[4], keys[5] }));
            Assert.That(File.Exists(disk.EntryPath(_shoe, CacheAddresses.Original)), Is.False, "expired");
            Assert.That(File.Exists(orphan), Is.False, "orphaned temp file");
        });
    }
}
