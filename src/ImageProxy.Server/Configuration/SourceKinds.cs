namespace ImageProxy.Server.Configuration;

/// <summary>
/// The one table of source kinds: how sources.json spells each kind, the record its source entry reads into
/// (<see cref="SourceEntry"/> is polymorphic on "kind" through this table) and the settings type the origin
/// gets. A new kind is a new row here, its entry and settings records, and its origin.
/// </summary>
public static class SourceKinds
{
    internal sealed record Row(SourceKind Kind, string Name, Type EntryType, Type SettingsType);

    internal static readonly IReadOnlyList<Row> All =
    [
        new(SourceKind.Folder, "folder", typeof(FolderSourceEntry), typeof(FolderSourceSettings)),
        new(SourceKind.Web, "web", typeof(WebSourceEntry), typeof(WebSourceSettings)),
        new(SourceKind.S3, "s3", typeof(S3SourceEntry), typeof(S3SourceSettings)),
        new(SourceKind.Gcs, "gcs", typeof(GcsSourceEntry), typeof(GcsSourceSettings)),
        new(SourceKind.Azure, "azure", typeof(AzureSourceEntry), typeof(AzureSourceSettings)),
        new(SourceKind.Proxy, "proxy", typeof(ProxySourceEntry), typeof(ProxySourceSettings)),
    ];

    /// <summary>The kind as sources.json, logs and metrics spell it ("folder", "s3", …).</summary>
    public static string NameOf(SourceKind kind) => All.First(row => row.Kind == kind).Name;

    public static SourceKind KindOf(SourceSettings settings) => All.First(row => row.SettingsType == settings.GetType()).Kind;

    internal static Row? Named(string name) => All.FirstOrDefault(row => row.Name == name);
}
