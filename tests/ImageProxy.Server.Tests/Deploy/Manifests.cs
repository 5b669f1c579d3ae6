using System.Reflection;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Cluster;
using ImageProxy.Server.Configuration;
using YamlDotNet.RepresentationModel;

namespace ImageProxy.Server.Tests.Deploy;

/// <summary>The YAML under deploy/, parsed with YamlDotNet into plain nodes, and small helpers to walk them.</summary>
internal static class Manifests
{
    public static string K8s { get; } = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");

    public static List<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    /// <summary>Every object of the base and of the components (not the patches, which only amend them).</summary>
    public static List<YamlMappingNode> AllObjects()
    {
        var patches = Directory.EnumerateFiles(K8s, "kustomization.yaml", SearchOption.AllDirectories)
            .SelectMany(k => Items(Load(k).Single(), "patches").Select(p => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(k)!, Text(p, "path")!))))
            .ToHashSet();
        return [.. Directory.EnumerateFiles(K8s, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && !patches.Contains(Path.GetFullPath(f)))
            .SelectMany(Load)];
    }

    /// <summary>Objects and patches alike: every document of every manifest.</summary>
    public static List<YamlMappingNode> AllDocuments() =>
        [.. Directory.EnumerateFiles(K8s, "*.yaml", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "kustomization.yaml").SelectMany(Load)];

    public static YamlMappingNode Single(string kind, string name) =>
        AllObjects().Single(o => Text(o, "kind") == kind && Text(o, "metadata", "name") == name);

    public static YamlNode? Get(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(YamlNode? node, params string[] path) => (Get(node, path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(YamlNode? node, params string[] path) =>
        Get(node, path) is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<string> Strings(YamlNode? node, params string[] path) =>
        Items(node, path).OfType<YamlScalarNode>().Select(s => s.Value!);

    /// <summary>
    /// Whether an environment variable (ImageProxy__A__B) names an option the server binds: the "ImageProxy" section
    /// feeds <see cref="ProxyOptions"/> and <see cref="CachingOptions"/>, "ImageProxy:Cluster" <see cref="ClusterOptions"/>.
    /// </summary>
    public static bool ServerBinds(string variable)
    {
        var path = variable.Split("__");
        if (path.Length < 2 || path[0] != ProxyOptions.SectionName)
        {
            return false;
        }

        path = path[1..];
        return path[0] == "Cluster"
            ? path.Length > 1 && Binds(typeof(ClusterOptions), path[1..])
            : Binds(typeof(ProxyOptions), path) || Binds(typeof(CachingOptions), path);
    }

    // What the configuration binder does: a case-insensitive writable public property per segment.
    private static bool Binds(Type type, string[] path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } && (path.Length == 1 || Binds(property.PropertyType, path[1..]));
    }

    public static YamlMappingNode Container(YamlMappingNode deployment, string name) =>
        Items(deployment, "spec", "template", "spec", "containers").OfType<YamlMappingNode>().Single(c => Text(c, "name") == name);
}
