using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

public sealed class AzurePublicTestBed : AzureTestBed
{
    protected override string Container => "contract-public";

    protected override bool PublicContainer => true;

    public override string SourceName => "contract-azure-public";

    public override IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(Container, null, null, true, keyPrefix, maxBytes);

    // Anonymous access to a private container is refused.
    public override IOrigin CreateDeniedOrigin(string keyPrefix) => Create("private-denied", null, null, true, keyPrefix, 1 << 20);

    public override IOrigin CreateOriginOnMissingBucket(string keyPrefix) => Create(MissingBucket, null, null, true, keyPrefix, 1 << 20);
}
