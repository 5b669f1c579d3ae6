namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// GCS through its S3-interoperability (XML API + HMAC keys) route: an "s3" source with serviceUrl
/// https://storage.googleapis.com and region "auto". Google is unreachable here, so the S3 test server
/// stands in; what this pins is that the s3 kind works with GCS's signing region.
/// </summary>
public sealed class GcsInteropTestBed : S3TestBed
{
    protected override string Region => "auto";
}
