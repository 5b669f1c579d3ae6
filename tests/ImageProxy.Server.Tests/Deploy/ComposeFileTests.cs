using YamlDotNet.RepresentationModel;
using static ImageProxy.Server.Tests.Deploy.Manifests;

namespace ImageProxy.Server.Tests.Deploy;

/// <summary>deploy/compose.yml (never run here: no Docker engine) checked offline against the server's options.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Load(Path.Combine(RepositoryPaths.Root, "deploy", "compose.yml")).Single();
    private static readonly string[] Nodes = ["proxy-a", "proxy-b"];

    /// <summary>A service's environment with YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied, as compose does.</summary>
    private static Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>();
        void Add(YamlNode? node)
        {
            if (node is not YamlMappingNode map)
            {
                return;
            }

            Add(Get(map, "<<"));
            foreach (var (key, value) in map.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
            {
                result[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value!;
            }
        }

        Add(Get(Compose, "services", service, "environment"));
        return result;
    }

    [Test]
    public void Two_proxy_nodes_form_a_cluster_with_their_own_self_the_same_peers_and_a_token()
    {
        var selves = Nodes.Select(n => Environment(n)["ImageProxy__Cluster__Self"]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(selves, Is.EqualTo(Nodes.Select(n => $"http://{n}:8080")), "each node is reached by its service name on the port the image listens on");
            foreach (var node in Nodes)
            {
                Assert.That(Environment(node)["ImageProxy__Cluster__Peers"].Split(','), Is.EqualTo(selves), node);
                Assert.That(Environment(node)["ImageProxy__Cluster__Token"], Does.Contain("IMAGEPROXY_CLUSTER_TOKEN:?"), "required, never a default");
            }

            // Each node keeps a cache volume of its own.
            Assert.That(Nodes.Select(n => Strings(Compose, "services", n, "volumes").Single(v => v.EndsWith(":/var/cache/imageproxy", StringComparison.Ordinal))).Distinct().Count(), Is.EqualTo(2));
        });
    }

    [Test]
    public void Every_ImageProxy_variable_binds_and_Redis_is_the_redis_service()
    {
        var variables = Nodes.SelectMany(n => Environment(n).Keys).Where(k => k.StartsWith("ImageProxy__", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(variables, Has.All.Matches<string>(ServerBinds));
            Assert.That(Environment("proxy-a")["ImageProxy__Redis"], Is.EqualTo("redis:6379"));
            Assert.That(Get(Compose, "services", "redis"), Is.Not.Null);
        });
    }

    // The check itself must tell a key the server reads from one it silently ignores: compose once set
    // ImageProxy__Redis__Configuration, which no option binds, and ran without Redis.
    [TestCase("ImageProxy__Redis", true)]
    [TestCase("ImageProxy__ResultCache__RedisTimeoutMilliseconds", true)]
    [TestCase("ImageProxy__Security__RateLimit__PermitsPerSecond", true)]
    [TestCase("ImageProxy__Cluster__Peers", true)]
    [TestCase("ImageProxy__Redis__Configuration", false)]
    [TestCase("ImageProxy__RedisConfiguration", false)]
    [TestCase("ImageProxy__Cluster__Nodes", false)]
    public void The_check_tells_bound_keys_from_unbound_ones(string variable, bool bound) =>
        Assert.That(ServerBinds(variable), Is.EqualTo(bound));
}
