using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

// One short fixture per kind (and per Azure auth mode); the tests themselves live in OriginContract.
// NUnit runs fixtures of one assembly in sequence unless told otherwise, which keeps the shared services calm.

/// <summary>s3 kind against the S3 server test.sh starts (s3rver; see docs/sources.md for why not radosgw).</summary>
[TestFixture, Category("Services")]
public sealed class S3OriginContractTests : BucketOriginContract<S3TestBed>;

/// <summary>
/// s3 kind against Ceph radosgw, which verifies SigV4 (IMAGEPROXY_TEST_CEPH=1 ./test.sh). Category Ceph: the
/// default run leaves it out (see docs/sources.md "Tests" for the cost), it is not skipped inside a run that has it.
/// </summary>
[TestFixture, Category("Services"), Category("Ceph")]
public sealed class CephS3OriginContractTests : BucketOriginContract<CephS3TestBed>
{
    [Test]
    public void A_wrong_secret_with_a_valid_key_id_is_refused_by_the_signature_check()
    {
        var denied = Bed.CreateDeniedOrigin(Root);

        var thrown = Assert.ThrowsAsync<ImageProxy.Server.Origins.OriginUnavailableException>(
            () => denied.FetchAsync("ok.png", ImageProxy.Server.Origins.OriginValidators.None, CancellationToken.None));

        // The key id exists, so only a server that recomputes the signature can refuse this request.
        Assert.That(thrown!.Message, Does.Contain("SignatureDoesNotMatch"));
    }
}

/// <summary>GCS's S3-interoperability route (region "auto") against the same S3 server.</summary>
[TestFixture, Category("Services")]
public sealed class GcsInteropOriginContractTests : BucketOriginContract<GcsInteropTestBed>;

/// <summary>gcs kind against the in-process fake of the documented JSON API (<see cref="FakeGcsServer"/>).</summary>
[TestFixture]
public sealed class GcsOriginContractTests : BucketOriginContract<GcsTestBed>
{
    [Test]
    public async Task A_revalidation_is_one_metadata_request_with_if_generation_not_match_and_no_download()
    {
        var origin = Bed.CreateOrigin(Root, 1 << 20);
        var first = await origin.FetchAsync("ok.png", OriginValidators.None, CancellationToken.None);
        var before = Bed.Server.Requests.Count;

        var again = await origin.FetchAsync("ok.png", new OriginValidators(first.ETag, null), CancellationToken.None);

        var sent = Bed.Server.Requests.Skip(before).ToArray();
        Assert.That(again.Status, Is.EqualTo(OriginStatus.NotModified));
        Assert.That(sent, Has.Length.EqualTo(1), string.Join("\n", sent));
        Assert.That(sent[0], Does.Contain($"ifGenerationNotMatch={first.ETag!.Trim('"')}").And.Not.Contain("alt=media"));
    }

    [Test]
    public async Task The_download_is_pinned_to_the_generation_whose_metadata_was_read()
    {
        var origin = Bed.CreateOrigin(Root, 1 << 20);
        var before = Bed.Server.Requests.Count;

        var result = await origin.FetchAsync("ok.png", OriginValidators.None, CancellationToken.None);

        var download = Bed.Server.Requests.Skip(before).Single(r => r.Contains("alt=media"));
        Assert.That(download, Does.Contain($"generation={result.ETag!.Trim('"')}"));
    }

    [Test]
    public async Task A_gzip_stored_object_arrives_decompressed()
    {
        Bed.Server.Put(GcsTestBed.Bucket, Root + "stored-gzip.png", Gzip(Png), "image/png", contentEncoding: "gzip");

        var result = await Bed.CreateOrigin(Root, 1 << 20).FetchAsync("stored-gzip.png", OriginValidators.None, CancellationToken.None);

        Assert.That(result.Bytes, Is.EqualTo(Png));
    }

    [Test]
    public void A_gzip_bomb_under_the_cap_in_metadata_is_stopped_by_the_cap_while_streaming()
    {
        // 8 MiB of zeros compress to a few KiB: the metadata's size passes a 1 MiB cap, the bytes do not.
        var bomb = Gzip(new byte[8 << 20]);
        Assert.That(bomb, Has.Length.LessThan(64 << 10));
        Bed.Server.Put(GcsTestBed.Bucket, Root + "bomb.png", bomb, "image/png", contentEncoding: "gzip");

        Assert.ThrowsAsync<SourceTooLargeException>(() => Bed.CreateOrigin(Root, 1 << 20).FetchAsync("bomb.png", OriginValidators.None, CancellationToken.None));
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    [TestCase(false, TestName = "A 503 on the metadata is asked once per fetch: retries belong to the resilient origin")]
    [TestCase(true, TestName = "A 503 on the download is asked once per fetch: retries belong to the resilient origin")]
    public void A_503_is_asked_once_per_fetch(bool downloadsOnly)
    {
        var name = $"busy-{downloadsOnly}.png";
        Bed.Server.Put(GcsTestBed.Bucket, Root + name, Png, "image/png");
        Bed.Server.FailWith503(Root + name, times: 5, downloadsOnly);
        var before = Bed.Server.Requests.Count;

        var thrown = Assert.ThrowsAsync<OriginUnavailableException>(() => Bed.CreateOrigin(Root, 1 << 20).FetchAsync(name, OriginValidators.None, CancellationToken.None));

        Assert.That(thrown!.Transient, Is.True);
        var sent = Bed.Server.Requests.Skip(before).Where(r => r.Contains(name)).ToArray();
        Assert.That(sent, Has.Length.EqualTo(downloadsOnly ? 2 : 1), string.Join("\n", sent));
    }
}

/// <summary>azure kind with Shared Key against azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzureSharedKeyOriginContractTests : BucketOriginContract<AzureSharedKeyTestBed>;

/// <summary>azure kind with a SAS token against azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzureSasOriginContractTests : BucketOriginContract<AzureSasTestBed>;

/// <summary>azure kind, anonymous, against a public container in azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzurePublicOriginContractTests : BucketOriginContract<AzurePublicTestBed>;

/// <summary>web kind against a local Kestrel origin.</summary>
[TestFixture]
public sealed class WebOriginContractTests : OriginContract<WebTestBed>;

/// <summary>proxy kind (whole URLs) against the same local Kestrel origin.</summary>
[TestFixture]
public sealed class ProxyOriginContractTests : OriginContract<ProxyTestBed>;
