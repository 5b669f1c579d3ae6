using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

public sealed class AzureSharedKeyTestBed : AzureTestBed
{
    // Any valid base64 key that is not the account's: azurite refuses the signature with 403.
    private const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleQ==";

    protected override string Container => "contract-sharedkey";

    public override string SourceName => "contract-azure-key";

    public override string? Secret => WrongKey;

    public override IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(Container, DevelopmentKey, null, false, keyPrefix, maxBytes);

    public override IOrigin CreateDeniedOrigin(string keyPrefix) => Create(Container, WrongKey, null, false, keyPrefix, 1 << 20);
}
