namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// s3 kind against Ceph radosgw (scripts/ceph-s3.sh; test.sh starts it with IMAGEPROXY_TEST_CEPH=1):
/// IMAGEPROXY_TEST_CEPH_S3 is its URL, IMAGEPROXY_TEST_CEPH_S3_ACCESS_KEY/_SECRET_KEY a user's keys. radosgw
/// verifies SigV4 signatures, so here a wrong secret with the right key id is refused (SignatureDoesNotMatch),
/// which s3rver cannot show.
/// </summary>
public sealed class CephS3TestBed : S3TestBed
{
    public override string SourceName => "contract-ceph";

    protected override string Variable => "IMAGEPROXY_TEST_CEPH_S3";

    protected override string ServiceDescription => "Ceph radosgw (IMAGEPROXY_TEST_CEPH=1 ./test.sh, or scripts/ceph-s3.sh up DIR)";

    protected override bool VerifiesSignatures => true;
}
