using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

public sealed class AzureSasTestBed : AzureTestBed
{
    private string? _wrongSas;

    protected override string Container => "contract-sas";

    public override string SourceName => "contract-azure-sas";

    public override string? Secret => _wrongSas is null ? null : Uri.UnescapeDataString(_wrongSas.Split("sig=")[1]);

    public override IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Create(Container, null, ContainerSas(Container, DevelopmentKey), false, keyPrefix, maxBytes);

    // A SAS signed with a key that is not the account's.
    public override IOrigin CreateDeniedOrigin(string keyPrefix)
    {
        _wrongSas = WrongKeySas(Container);
        return Create(Container, null, _wrongSas, false, keyPrefix, 1 << 20);
    }

    /// <summary>A read-only container SAS that azurite refuses: signed with a key that is not the account's.</summary>
    public static string WrongKeySas(string container) => ContainerSas(container, WrongKey);

    public override IOrigin CreateOriginOnMissingBucket(string keyPrefix)
        => Create(MissingBucket, null, ContainerSas(MissingBucket, DevelopmentKey), false, keyPrefix, 1 << 20);
}
