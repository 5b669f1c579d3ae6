using System.Security.Cryptography;
using System.Text;
using ImageProxy.Server.Caching;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching.Contract;

/// <summary>
/// The behaviour every <see cref="IResultCache"/> tier owes <c>ImageService</c> and <see cref="TieredCache"/>, run
/// against each tier (memory, disk, a real redis-server) by one short fixture per tier. A tier's own limits (what it
/// refuses to keep) are declared by the fixture, so the suite states them instead of skipping them.
/// </summary>
public abstract class ResultCacheContract
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    protected FakeTimeProvider Clock { get; private set; } = null!;

    private IResultCache _cache = null!;
    private readonly SourceObject _shoe = new("products", "shoe.jpg");
    private readonly SourceObject _hat = new("products", "hat.jpg");

    /// <summary>A fresh, empty tier over <paramref name="clock"/> (its "now" for expiry).</summary>
    protected abstract IResultCache Create(FakeTimeProvider clock);

    /// <summary>Whether the tier keeps fetched originals (the memory tier never does: they are large and miss-path only).</summary>
    protected abstract bool KeepsOriginals { get; }

    /// <summary>Bodies above this are not kept by the tier; null = no cap.</summary>
    protected abstract int? MaxEntryBytes { get; }

    [SetUp]
    public void CreateTier()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        _cache = Create(Clock);
    }

    [TearDown]
    public void DisposeTier() => (_cache as IDisposable)?.Dispose();

    private static string Key(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    private CacheEntry Entry(string key, byte[] body, CacheEntryKind kind = CacheEntryKind.Result, TimeSpan? lifetime = null) =>
        CacheEntry.Create(key, kind, body, "image/webp", "\"v1\"", Clock.GetUtcNow(), lifetime ?? Lifetime, width: 120, height: 80);

    private Task SetAsync(SourceObject sourceObject, CacheEntry entry) => _cache.SetAsync(sourceObject, entry, CancellationToken.None);

    private Task<CacheEntry?> GetAsync(SourceObject sourceObject, string key) => _cache.GetAsync(sourceObject, key, CancellationToken.None);

    [Test]
    public async Task Get_after_set_returns_the_body_and_every_metadata_field()
    {
        var stored = CacheEntry.Create(Key("a"), CacheEntryKind.Result, Body("rendered bytes"), "image/avif", "W/\"etag-7\"",
            Clock.GetUtcNow(), Lifetime, width: 640, height: 427);

        await SetAsync(_shoe, stored);
        var read = await GetAsync(_shoe, Key("a"));

        Assert.That(read, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(read!.Body.ToArray(), Is.EqualTo(stored.Body.ToArray()));
            // A record compares every field: key, kind, content type, validator, both times, length, SHA-256, size.
            Assert.That(read.Metadata, Is.EqualTo(stored.Metadata));
        });
    }

    [Test]
    public async Task A_key_never_set_is_a_miss_and_entries_belong_to_their_object()
    {
        await SetAsync(_shoe, Entry(Key("a"), Body("shoe")));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await GetAsync(_shoe, Key("b")), Is.Null, "another key of the same object");
            Assert.That(await GetAsync(_hat, Key("a")), Is.Null, "the same key of another object");
        });
    }

    [Test]
    public async Task A_second_set_of_a_key_replaces_the_first()
    {
        await SetAsync(_shoe, Entry(Key("a"), Body("first version")));
        await SetAsync(_shoe, Entry(Key("a"), Body("second, longer version")));

        var read = await GetAsync(_shoe, Key("a"));

        Assert.That(read?.Body.ToArray(), Is.EqualTo(Body("second, longer version")));
    }

    [Test]
    public async Task The_record_round_trips_and_the_original_is_kept_where_the_tier_keeps_originals()
    {
        await SetAsync(_shoe, Entry(CacheAddresses.Record, Body("{\"validator\":\"v1\"}"), CacheEntryKind.Record));
        await SetAsync(_shoe, Entry(CacheAddresses.Original, Body("original bytes"), CacheEntryKind.Original));

        var record = await GetAsync(_shoe, CacheAddresses.Record);
        var original = await GetAsync(_shoe, CacheAddresses.Original);

        Assert.Multiple(() =>
        {
            Assert.That(record?.Metadata.Kind, Is.EqualTo(CacheEntryKind.Record));
            Assert.That(record?.Body.ToArray(), Is.EqualTo(Body("{\"validator\":\"v1\"}")));
            if (KeepsOriginals)
            {
                Assert.That(original?.Metadata.Kind, Is.EqualTo(CacheEntryKind.Original));
                Assert.That(original?.Body.ToArray(), Is.EqualTo(Body("original bytes")));
            }
            else
            {
                Assert.That(original, Is.Null, "this tier never keeps originals");
            }
        });
    }

    [Test]
    public async Task A_purge_removes_every_entry_of_the_object_and_nothing_of_another()
    {
        await SetAsync(_shoe, Entry(Key("a"), Body("a")));
        await SetAsync(_shoe, Entry(Key("b"), Body("b")));
        await SetAsync(_shoe, Entry(CacheAddresses.Record, Body("{}"), CacheEntryKind.Record));
        await SetAsync(_shoe, Entry(CacheAddresses.Original, Body("original"), CacheEntryKind.Original));
        await SetAsync(_hat, Entry(Key("a"), Body("hat a")));

        await _cache.PurgeAsync(_shoe, CancellationToken.None);

        await Assert.MultipleAsync(async () =>
        {
            foreach (var key in new[] { Key("a"), Key("b"), CacheAddresses.Record, CacheAddresses.Original })
            {
                Assert.That(await GetAsync(_shoe, key), Is.Null, key);
            }

            Assert.That((await GetAsync(_hat, Key("a")))?.Body.ToArray(), Is.EqualTo(Body("hat a")));
        });
    }

    [Test]
    public async Task A_purge_of_an_object_with_no_entries_changes_nothing_and_the_object_can_be_cached_again()
    {
        await _cache.PurgeAsync(_shoe, CancellationToken.None);
        await SetAsync(_shoe, Entry(Key("a"), Body("after purge")));

        Assert.That((await GetAsync(_shoe, Key("a")))?.Body.ToArray(), Is.EqualTo(Body("after purge")));
    }

    [Test]
    public async Task An_entry_is_served_until_it_expires_and_never_after()
    {
        await SetAsync(_shoe, Entry(Key("a"), Body("a"), lifetime: TimeSpan.FromMinutes(10)));

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.That(await GetAsync(_shoe, Key("a")), Is.Not.Null, "one second before expiry");

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await GetAsync(_shoe, Key("a")), Is.Null, "at expiry");
    }

    [Test]
    public async Task An_entry_written_already_expired_is_never_served()
    {
        var stale = Entry(Key("a"), Body("a"), lifetime: TimeSpan.FromMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(2));

        await SetAsync(_shoe, stale);

        Assert.That(await GetAsync(_shoe, Key("a")), Is.Null);
    }

    [Test]
    public async Task A_body_above_the_tiers_cap_is_not_kept_and_one_at_the_cap_is()
    {
        if (MaxEntryBytes is not { } cap)
        {
            // No cap: a large body (1 MiB) round-trips like any other.
            var large = new byte[1 << 20];
            Random.Shared.NextBytes(large);
            await SetAsync(_shoe, Entry(Key("large"), large));
            Assert.That((await GetAsync(_shoe, Key("large")))?.Body.ToArray(), Is.EqualTo(large));
            return;
        }

        await SetAsync(_shoe, Entry(Key("at"), new byte[cap]));
        await SetAsync(_shoe, Entry(Key("above"), new byte[cap + 1]));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await GetAsync(_shoe, Key("at")))?.Body.Length, Is.EqualTo(cap));
            Assert.That(await GetAsync(_shoe, Key("above")), Is.Null);
        });
    }

    [Test]
    public async Task Concurrent_sets_and_gets_never_see_a_torn_entry_and_every_write_lands()
    {
        const int Writers = 16;
        const int Rounds = 8;
        var keys = Enumerable.Range(0, Writers).Select(i => Key($"concurrent-{i}")).ToArray();
        // Every writer also rewrites one shared key, while readers read it: any read must be one whole version.
        var shared = Key("contended");
        var torn = 0;
        var hits = 0;

        var writers = Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                await SetAsync(_shoe, Entry(keys[i], Body($"writer {i} round {round}")));
                await SetAsync(_shoe, Entry(shared, Body(new string((char)('a' + i), 100 + i))));
            }
        }));
        var readers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds * 2; round++)
            {
                if (await GetAsync(_shoe, shared) is not { } read)
                {
                    continue;
                }

                Interlocked.Increment(ref hits);
                var text = Encoding.UTF8.GetString(read.Body.Span);
                var whole = text.Length >= 100 && text.All(c => c == text[0]) && text.Length == 100 + (text[0] - 'a')
                    && read.Metadata.BodyLength == read.Body.Length
                    && read.Metadata.BodySha256 == Convert.ToHexStringLower(SHA256.HashData(read.Body.Span));
                if (!whole)
                {
                    Interlocked.Increment(ref torn);
                }
            }
        }));
        await Task.WhenAll(writers.Concat(readers));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(torn, Is.Zero, $"torn reads among {hits} hits");
            for (var i = 0; i < Writers; i++)
            {
                Assert.That((await GetAsync(_shoe, keys[i]))?.Body.ToArray(), Is.EqualTo(Body($"writer {i} round {Rounds - 1}")), $"writer {i}");
            }

            Assert.That(await GetAsync(_shoe, shared), Is.Not.Null, "the contended key holds one of the versions");
        });
    }
}
