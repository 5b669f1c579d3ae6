namespace ImageProxy.Server.Tests.Origins.Contract;

// One short fixture per kind (and per Azure auth mode); the tests themselves live in OriginContract.
// NUnit runs fixtures of one assembly in sequence unless told otherwise, which keeps the shared services calm.

/// <summary>s3 kind against the S3 server test.sh starts (s3rver; see docs/sources.md for why not radosgw).</summary>
[TestFixture, Category("Services")]
public sealed class S3OriginContractTests : OriginContract<S3TestBed>;

/// <summary>
/// s3 kind against Ceph radosgw, which verifies SigV4 (IMAGEPROXY_TEST_CEPH=1 ./test.sh). Category Ceph: the
/// default run leaves it out (see docs/sources.md "Tests" for the cost), it is not skipped inside a run that has it.
/// </summary>
[TestFixture, Category("Services"), Category("Ceph")]
public sealed class CephS3OriginContractTests : OriginContract<CephS3TestBed>
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
public sealed class GcsInteropOriginContractTests : OriginContract<GcsInteropTestBed>;

/// <summary>gcs kind against the in-process JSON API fake (<see cref="FakeGcsServer"/>).</summary>
[TestFixture]
public sealed class GcsOriginContractTests : OriginContract<GcsTestBed>;

/// <summary>azure kind with Shared Key against azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzureSharedKeyOriginContractTests : OriginContract<AzureSharedKeyTestBed>;

/// <summary>azure kind with a SAS token against azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzureSasOriginContractTests : OriginContract<AzureSasTestBed>;

/// <summary>azure kind, anonymous, against a public container in azurite.</summary>
[TestFixture, Category("Services")]
public sealed class AzurePublicOriginContractTests : OriginContract<AzurePublicTestBed>;

/// <summary>web kind against a local Kestrel origin.</summary>
[TestFixture]
public sealed class WebOriginContractTests : OriginContract<WebTestBed>;

/// <summary>proxy kind (whole URLs) against the same local Kestrel origin.</summary>
[TestFixture]
public sealed class ProxyOriginContractTests : OriginContract<ProxyTestBed>;
