using System.Net;
using System.Text.RegularExpressions;
using ImageProxy.Server.Configuration;
using YamlDotNet.RepresentationModel;
using static ImageProxy.Server.Tests.Deploy.Manifests;

namespace ImageProxy.Server.Tests.Deploy;

/// <summary>
/// deploy/k8s checked offline against the server it deploys: files the kustomizations name exist, the probes hit
/// real endpoints, every argument and ImageProxy__ variable is an option the server binds, the pod runs as non-root
/// on a read-only root with every path it writes mounted, and the ConfigMap's sources.json loads.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly YamlMappingNode Deployment = Single("Deployment", "imageproxy");
    private static readonly YamlMappingNode Proxy = Container(Deployment, "imageproxy");

    private static IEnumerable<string> Kustomizations() =>
        Directory.EnumerateFiles(K8s, "kustomization.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(K8s, f));

    [TestCaseSource(nameof(Kustomizations))]
    public void Every_file_a_kustomization_names_exists(string kustomization)
    {
        var path = Path.Combine(K8s, kustomization);
        var root = Load(path).Single();
        var directory = Path.GetDirectoryName(path)!;
        var named = Strings(root, "resources").Concat(Strings(root, "components"))
            .Concat(Items(root, "patches").Select(p => Text(p, "path")!)).ToArray();

        Assert.That(named, Is.Not.Empty);
        foreach (var entry in named)
        {
            var target = Path.GetFullPath(Path.Combine(directory, entry));
            Assert.That(File.Exists(target) || File.Exists(Path.Combine(target, "kustomization.yaml")), Is.True, $"{kustomization} names {entry}");
        }

        // And every manifest beside it is listed, so nothing is silently left out of the build.
        var listed = named.Select(n => Path.GetFullPath(Path.Combine(directory, n))).ToHashSet();
        var unlisted = Directory.EnumerateFiles(directory, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml" && !listed.Contains(f));
        Assert.That(unlisted, Is.Empty);
    }

    [Test]
    public void The_base_has_every_object_a_cluster_deployment_needs()
    {
        var kinds = Strings(Load(Path.Combine(K8s, "base", "kustomization.yaml")).Single(), "resources")
            .SelectMany(r => Load(Path.Combine(K8s, "base", r))).Select(o => Text(o, "kind")).ToArray();
        var headless = Single("Service", "imageproxy-peers");

        Assert.Multiple(() =>
        {
            Assert.That(kinds, Is.SupersetOf(new[] { "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret" }));
            Assert.That(kinds.Count(k => k == "Service"), Is.EqualTo(2));
            Assert.That(Text(headless, "spec", "clusterIP"), Is.EqualTo("None"));
            Assert.That(Text(Single("HorizontalPodAutoscaler", "imageproxy"), "spec", "scaleTargetRef", "name"), Is.EqualTo("imageproxy"));
        });
    }

    [Test]
    public void Services_PDB_and_network_policy_select_the_pods()
    {
        var podLabels = (YamlMappingNode)Get(Deployment, "spec", "template", "metadata", "labels")!;
        void AssertSelects(YamlNode? selector, string what)
        {
            Assert.That(selector, Is.InstanceOf<YamlMappingNode>(), what);
            foreach (var (key, value) in ((YamlMappingNode)selector!).Children)
            {
                Assert.That(Text(podLabels, ((YamlScalarNode)key).Value!), Is.EqualTo(((YamlScalarNode)value).Value), what);
            }
        }

        AssertSelects(Get(Deployment, "spec", "selector", "matchLabels"), "deployment");
        AssertSelects(Get(Single("Service", "imageproxy"), "spec", "selector"), "service");
        AssertSelects(Get(Single("Service", "imageproxy-peers"), "spec", "selector"), "headless service");
        AssertSelects(Get(Single("PodDisruptionBudget", "imageproxy"), "spec", "selector", "matchLabels"), "pdb");
        AssertSelects(Get(Single("NetworkPolicy", "imageproxy"), "spec", "podSelector", "matchLabels"), "network policy");
    }

    [Test]
    public async Task The_probes_ask_endpoints_the_server_answers_on_the_port_it_listens_on()
    {
        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }.Select(p => Get(Proxy, p)).ToArray();
        var args = Strings(Proxy, "args").ToList();
        var listen = new Uri(args[args.IndexOf("--urls") + 1]);
        var ports = Items(Proxy, "ports").ToDictionary(p => Text(p, "name")!, p => int.Parse(Text(p, "containerPort")!));

        using var app = new ProxyApplication();
        using var client = app.CreateClient();
        foreach (var probe in probes)
        {
            Assert.That(probe, Is.Not.Null);
            Assert.That(ports[Text(probe, "httpGet", "port")!], Is.EqualTo(listen.Port), "the probe's named port is the one --urls listens on");
            using var response = await client.GetAsync(Text(probe, "httpGet", "path"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), Text(probe, "httpGet", "path"));
        }

        Assert.That(probes.Select(p => Text(p, "httpGet", "path")), Is.EqualTo(new[] { "/_imageproxy/health/live", "/_imageproxy/health/live", "/_imageproxy/health/ready" }));
    }

    [Test]
    public void Every_argument_is_a_switch_the_server_knows()
    {
        var switches = Strings(Proxy, "args").Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        Assert.That(switches, Is.Not.Empty);
        Assert.That(switches, Has.All.Matches<string>(s => CommandLineSwitches.Server.Any(known => known.Name == s)));
    }

    private static IEnumerable<string> ImageProxyVariables() =>
        AllDocuments().Where(o => Text(o, "kind") == "Deployment")
            .SelectMany(d => Items(d, "spec", "template", "spec", "containers"))
            .SelectMany(c => Items(c, "env")).Select(e => Text(e, "name")!)
            .Where(n => n.StartsWith("ImageProxy__", StringComparison.Ordinal)).Distinct();

    [TestCaseSource(nameof(ImageProxyVariables))]
    public void Every_ImageProxy_variable_is_an_option_the_server_binds(string variable)
    {
        Assert.That(ServerBinds(variable), Is.True, $"{variable} matches no property of the options bound from the ImageProxy section");
    }

    [Test]
    public void Every_secret_reference_names_a_key_of_the_secret()
    {
        var secret = Single("Secret", "imageproxy-tokens");
        var keys = ((YamlMappingNode)Get(secret, "stringData")!).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
        var references = Items(Proxy, "env").Select(e => Get(e, "valueFrom", "secretKeyRef")).Where(r => r is not null).ToArray();

        Assert.That(references, Has.Length.GreaterThanOrEqualTo(3));
        foreach (var reference in references)
        {
            Assert.That(Text(reference, "name"), Is.EqualTo("imageproxy-tokens"));
            Assert.That(keys, Does.Contain(Text(reference, "key")));
        }
    }

    [Test]
    public void The_pod_runs_as_non_root_on_a_read_only_root_with_every_written_path_mounted()
    {
        var pod = Get(Deployment, "spec", "template", "spec");
        var args = Strings(Proxy, "args").ToList();
        var mounts = Items(Proxy, "volumeMounts").ToDictionary(m => Text(m, "mountPath")!, m => Text(m, "name")!);
        var volumes = Items(pod, "volumes").ToDictionary(v => Text(v, "name")!, v => v);
        var cacheDir = args[args.IndexOf("--cache-dir") + 1];

        Assert.Multiple(() =>
        {
            Assert.That(Text(pod, "securityContext", "runAsNonRoot"), Is.EqualTo("true"));
            Assert.That(int.Parse(Text(pod, "securityContext", "runAsUser")!), Is.GreaterThan(0));
            Assert.That(Text(Proxy, "securityContext", "readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(Text(Proxy, "securityContext", "allowPrivilegeEscalation"), Is.EqualTo("false"));
            Assert.That(Strings(Proxy, "securityContext", "capabilities", "drop"), Is.EqualTo(new[] { "ALL" }));
            // Read-only root: the disk cache and the runtime's temp files need volumes of their own.
            Assert.That(Get(volumes[mounts[cacheDir]], "emptyDir"), Is.Not.Null, "the cache is an emptyDir");
            Assert.That(Get(volumes[mounts["/tmp"]], "emptyDir"), Is.Not.Null);
            Assert.That(Text(Proxy, "resources", "limits", "memory"), Is.Not.Null);
            Assert.That(Text(Proxy, "resources", "requests", "cpu"), Is.Not.Null);
        });
    }

    [Test]
    public void The_configmap_sources_file_is_mounted_where_sources_points_and_loads()
    {
        var args = Strings(Proxy, "args").ToList();
        var sources = args[args.IndexOf("--sources") + 1];
        var mounts = Items(Proxy, "volumeMounts").ToDictionary(m => Text(m, "mountPath")!, m => m);
        var mount = mounts[Path.GetDirectoryName(sources)!];
        var volume = Items(Get(Deployment, "spec", "template", "spec"), "volumes").Single(v => Text(v, "name") == Text(mount, "name"));
        var configMap = Single("ConfigMap", Text(volume, "configMap", "name")!);
        var json = Text(configMap, "data", Path.GetFileName(sources))!;
        var env = Items(Proxy, "env").Select(e => Text(e, "name")).ToHashSet();

        Assert.Multiple(() =>
        {
            // A subPath mount is never updated by the kubelet: the whole directory must be the volume.
            Assert.That(Text(mount, "subPath"), Is.Null);
            Assert.That(json, Is.Not.Null);
            // Every ${NAME} the file reads is set in the container.
            Assert.That(VariableReference().Matches(json).Select(m => m.Groups[1].Value), Has.All.Matches<string>(env.Contains));
        });
        var definitions = SourcesFile.Parse(json, Path.GetTempPath(), Transform.Limits.Default, name => env.Contains(name) ? "value-from-secret" : null);
        Assert.That(definitions, Is.Not.Empty);
    }

    [Test]
    public void The_cluster_settings_make_each_pod_its_own_self_and_find_the_peers_through_the_headless_service()
    {
        var env = Items(Proxy, "env").ToDictionary(e => Text(e, "name")!, e => e);
        var headless = Single("Service", "imageproxy-peers");
        var args = Strings(Proxy, "args").ToList();
        var listen = new Uri(args[args.IndexOf("--urls") + 1]);

        Assert.Multiple(() =>
        {
            Assert.That(Text(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"), Is.EqualTo("status.podIP"));
            Assert.That(Text(env["ImageProxy__Cluster__Self"], "value"), Is.EqualTo($"http://$(POD_IP):{listen.Port}"));
            Assert.That(Text(env["ImageProxy__Cluster__PeersDns"], "value"), Is.EqualTo(Text(headless, "metadata", "name")));
            Assert.That(Text(env["ImageProxy__Cluster__Token"], "valueFrom", "secretKeyRef", "key"), Is.EqualTo("cluster-token"));
            Assert.That(Text(headless, "spec", "publishNotReadyAddresses"), Is.EqualTo("false"), "a pod that is not ready owns no keys");
        });
    }

    [Test]
    public void The_redis_component_points_the_proxy_at_its_service()
    {
        var patch = Load(Path.Combine(K8s, "components", "redis", "imageproxy-redis-env.yaml")).Single();
        var container = Container(patch, "imageproxy");
        var redis = Items(container, "env").Single(e => Text(e, "name") == "ImageProxy__Redis");
        var service = Single("Service", "imageproxy-redis");

        Assert.Multiple(() =>
        {
            Assert.That(Text(patch, "metadata", "name"), Is.EqualTo(Text(Deployment, "metadata", "name")), "the patch targets the base Deployment");
            Assert.That(Text(redis, "value"), Is.EqualTo($"{Text(service, "metadata", "name")}:{Text(Items(service, "spec", "ports").Single(), "port")}"));
        });
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariableReference();
}
