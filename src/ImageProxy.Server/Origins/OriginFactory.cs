using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>Builds the origin for one source definition; every remote kind gets retries and a circuit breaker.</summary>
public static class OriginFactory
{
    public static IOrigin Create(SourceDefinition definition, OriginResilienceOptions? resilience = null)
    {
        var name = definition.Name;
        return definition.Settings switch
        {
            // A local disk does not have transient network failures worth retrying.
            FolderSourceSettings folder => new FolderOrigin(folder.Root, folder.MaxBytes),
            WebSourceSettings web => new ResilientOrigin(name, new WebOrigin(name, web), resilience),
            ProxySourceSettings proxy => new ResilientOrigin(name, new ProxyOrigin(name, proxy), resilience),
            S3SourceSettings s3 => new ResilientOrigin(name, new S3Origin(name, s3), resilience),
            GcsSourceSettings gcs => new ResilientOrigin(name, new GcsOrigin(name, gcs), resilience),
            AzureSourceSettings azure => new ResilientOrigin(name, new AzureBlobOrigin(name, azure), resilience),
            _ => throw new SourcesFileException($"Source '{name}': kind {definition.Kind} has no origin."),
        };
    }
}
