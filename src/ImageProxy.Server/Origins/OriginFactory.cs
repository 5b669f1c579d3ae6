using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>Builds the origin for one source definition; every remote kind gets retries and a circuit breaker.</summary>
public static class OriginFactory
{
    public static IOrigin Create(SourceDefinition definition, long folderMaxBytes, OriginResilienceOptions? resilience = null)
    {
        var name = definition.Name;
        IOrigin origin = definition.Kind switch
        {
            SourceKind.Folder => new FolderOrigin(definition.Folder!.Root, definition.Limits?.MaxSourceBytes ?? folderMaxBytes),
            SourceKind.Web => new WebOrigin(name, definition.Web!),
            SourceKind.Proxy => new ProxyOrigin(name, definition.Proxy!),
            SourceKind.S3 => new S3Origin(name, definition.S3!),
            SourceKind.Gcs => new GcsOrigin(name, definition.Gcs!),
            SourceKind.Azure => new AzureBlobOrigin(name, definition.Azure!),
            _ => throw new SourcesFileException($"Source '{name}': kind {definition.Kind} has no origin."),
        };

        // A local disk does not have transient network failures worth retrying.
        return definition.Kind == SourceKind.Folder ? origin : new ResilientOrigin(name, origin, resilience);
    }
}
