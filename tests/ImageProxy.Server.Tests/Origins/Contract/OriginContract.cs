using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// The behaviour every origin kind owes the proxy, run against each kind's real server (or a faithful
/// fake) by one short concrete fixture per kind. Each fixture run works below its own random key
/// prefix, so runs against a long-lived service never see each other's objects.
/// </summary>
public abstract class OriginContract<TBed> where TBed : IOriginTestBed, new()
{
    protected static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>(raw key in the URL, the object key it must reach).</summary>
    private static readonly (string Raw, string Key)[] SpecialKeys =
    [
        ("dir/with%20space.png", "dir/with space.png"),
        ("plus+sign.png", "plus+sign.png"),
        ("%C3%BCnic%C3%B8de/%E7%8C%AB.png", "ünicøde/猫.png"),
        ("nested%2Fslash.png", "nested/slash.png"),
        ("hundred%2525.png", "hundred%25.png"),
    ];

    protected TBed Bed { get; private set; } = default!;

    protected string Root { get; } = $"contract-{Guid.NewGuid():N}/";

    [OneTimeSetUp]
    public async Task StartBed()
    {
        Bed = new TBed();
        await Bed.StartAsync();
        await Bed.PutAsync(Root + "ok.png", Png, "image/png");
        await Bed.PutAsync(Root + "big.bin", new byte[4096], "application/octet-stream");
        await Bed.PutAsync(Root + "inner/prefixed.png", Png.Append((byte)1).ToArray(), "image/png");
        for (var i = 0; i < SpecialKeys.Length; i++)
        {
            await Bed.PutAsync(Root + SpecialKeys[i].Key, Png.Append((byte)(10 + i)).ToArray(), "image/png");
        }
    }

    [OneTimeTearDown]
    public async Task StopBed()
    {
        if (Bed is not null)
        {
            await Bed.DisposeAsync();
        }
    }

    private IOrigin Origin(long maxBytes = 1024 * 1024) => Bed.CreateOrigin(Root, maxBytes);

    private Task<OriginResult> FetchAsync(string key, OriginValidators? validators = null, IOrigin? origin = null)
        => (origin ?? Origin()).FetchAsync(Bed.KeyFor(Root, key), validators ?? OriginValidators.None, CancellationToken.None);

    [Test]
    public async Task Returns_the_bytes_with_etag_last_modified_content_type_and_length()
    {
        var result = await FetchAsync("ok.png");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok));
            Assert.That(result.Bytes, Is.EqualTo(Png));
            Assert.That(result.Length, Is.EqualTo(Png.Length));
            Assert.That(result.ETag, Is.Not.Null.And.Not.Empty);
            Assert.That(result.LastModified, Is.Not.Null);
            Assert.That(result.ContentType, Is.EqualTo("image/png"));
        });
    }

    [Test]
    public async Task A_missing_object_is_not_found()
    {
        var result = await FetchAsync("no-such-object.png");

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotFound));
    }

    [Test]
    public async Task Revalidating_with_the_current_etag_costs_a_304_not_a_download()
    {
        var first = await FetchAsync("ok.png");

        var again = await FetchAsync("ok.png", new OriginValidators(first.ETag, null));
        var changed = await FetchAsync("ok.png", new OriginValidators("\"some-other-version\"", null));

        Assert.Multiple(() =>
        {
            Assert.That(again.Status, Is.EqualTo(OriginStatus.NotModified));
            Assert.That(again.Bytes, Is.Null);
            Assert.That(changed.Status, Is.EqualTo(OriginStatus.Ok));
        });
    }

    [Test]
    public async Task If_modified_since_after_the_last_change_is_not_modified()
    {
        var result = await FetchAsync("ok.png", new OriginValidators(null, DateTimeOffset.UtcNow.AddHours(1)));
        var older = await FetchAsync("ok.png", new OriginValidators(null, DateTimeOffset.UtcNow.AddYears(-5)));

        Assert.That(result.Status, Is.EqualTo(OriginStatus.NotModified));
        Assert.That(older.Status, Is.EqualTo(OriginStatus.Ok));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public async Task Special_keys_decoded_once_reach_the_right_object(int index)
    {
        var (raw, key) = SpecialKeys[index];
        Assert.That(ObjectKey.TryDecode(raw, out var decoded), Is.True);
        Assert.That(decoded, Is.EqualTo(key));

        var result = await FetchAsync(decoded);

        Assert.That(result.Status, Is.EqualTo(OriginStatus.Ok), raw);
        Assert.That(result.Bytes, Is.EqualTo(Png.Append((byte)(10 + index)).ToArray()), raw);
    }

    [Test]
    public async Task The_key_prefix_is_prepended()
    {
        var origin = Bed.CreateOrigin(Root + "inner/", 1024 * 1024);

        var result = await origin.FetchAsync(Bed.KeyFor(Root + "inner/", "prefixed.png"), OriginValidators.None, CancellationToken.None);

        Assert.That(result.Bytes, Is.EqualTo(Png.Append((byte)1).ToArray()));
    }

    [Test]
    public void An_object_over_the_byte_cap_is_refused()
    {
        Assert.ThrowsAsync<SourceTooLargeException>(() => FetchAsync("big.bin", origin: Origin(maxBytes: 1000)));
    }

    [Test]
    public void Access_denied_is_a_non_transient_failure_that_names_the_source_not_the_secret()
    {
        var denied = Bed.CreateDeniedOrigin(Root);

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => FetchAsync("ok.png", origin: denied));

        Assert.That(thrown!.Transient, Is.False);
        Assert.That(thrown.Message, Does.Contain($"'{Bed.SourceName}'"));
        if (Bed.Secret is { } secret)
        {
            Assert.That(thrown.Message, Does.Not.Contain(secret));
        }
    }
}

/// <summary>
/// The contract plus what only kinds with a named bucket/container owe: a missing object in an existing bucket is
/// a 404 (the inherited test), a missing bucket is the operator's mistake: a 502 whose logged detail says so.
/// </summary>
public abstract class BucketOriginContract<TBed> : OriginContract<TBed> where TBed : IBucketOriginTestBed, new()
{
    [Test]
    public void A_missing_bucket_is_a_non_transient_failure_that_says_the_bucket_does_not_exist()
    {
        var origin = Bed.CreateOriginOnMissingBucket(Root);

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => origin.FetchAsync("ok.png", OriginValidators.None, CancellationToken.None));

        // The message is what the request log prints (ImageEndpoints.LogFailure): it must point at the cause.
        Assert.That(thrown!.Transient, Is.False);
        Assert.That(thrown.Message, Does.Contain($"'{Bed.SourceName}'").And.Contain($"'{Bed.MissingBucket}' does not exist"));
    }
}
