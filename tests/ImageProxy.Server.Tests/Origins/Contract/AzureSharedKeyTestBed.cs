using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

public sealed class AzureSharedKeyTestBed : AzureTestBed
{
    protected override string Container => "contract-sharedkey";

    public override string SourceName => "contract-azure-key";

    public override string? Secret => WrongKey;

    public override IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(Container, DevelopmentKey, null, false, keyPrefix, maxBytes);

    public override IOrigin CreateDeniedOrigin(string keyPrefix) => Create(Container, WrongKey, null, false, keyPrefix, 1 << 20);

    public override IOrigin CreateOriginOnMissingBucket(string keyPrefix) => Create(MissingBucket, DevelopmentKey, null, false, keyPrefix, 1 << 20);
}
