using System.Collections;
using System.Reflection;
using ImageProxy.Server.Caching;
using ImageProxy.Server.Configuration;
using YamlDotNet.RepresentationModel;

namespace ImageProxy.Server.Tests.Configuration;

/// <summary>
/// deploy/compose.yml configures the server through ImageProxy__… environment variables; a key the server does not
/// bind is silently ignored (compose once ran without Redis that way). Each such key must name a property of the
/// options bound from the "ImageProxy" section.
/// </summary>
public sealed class ComposeEnvironmentTests
{
    private const string Prefix = ProxyOptions.SectionName + "__";

    // Both are bound from the same "ImageProxy" section (ServiceRegistration, CachingRegistration).
    private static readonly Type[] BoundFromSection = [typeof(ProxyOptions), typeof(CachingOptions)];

    [Test]
    public void EveryImageProxyKeyInTheComposeEnvironmentIsAnOptionTheServerBinds()
    {
        var keys = ComposeEnvironmentKeys(Path.Combine(RepositoryPaths.Root, "deploy", "compose.yml"))
            .Where(k => k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(keys, Does.Contain("ImageProxy__Redis"), "compose runs Redis for the proxy");
            Assert.That(keys.Where(k => !IsBound(k)), Is.Empty, "keys the server does not bind");
        });
    }

    [TestCase("ImageProxy__Redis", true)]
    [TestCase("ImageProxy__ResultCache__RedisTimeoutMilliseconds", true)]
    [TestCase("ImageProxy__Security__RateLimit__PermitsPerSecond", true)]
    [TestCase("ImageProxy__Redis__Configuration", false)]
    [TestCase("ImageProxy__RedisConfiguration", false)]
    public void TheCheckTellsBoundKeysFromUnboundOnes(string key, bool bound) => Assert.That(IsBound(key), Is.EqualTo(bound));

    /// <summary>The environment keys of every service, in either compose form (a mapping, or a list of KEY=value).</summary>
    private static List<string> ComposeEnvironmentKeys(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("services")];
        var keys = new List<string>();
        foreach (var service in services.Children.Values.OfType<YamlMappingNode>())
        {
            if (!service.Children.TryGetValue(new YamlScalarNode("environment"), out var environment))
            {
                continue;
            }

            keys.AddRange(environment switch
            {
                YamlMappingNode map => map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!),
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(item => item.Value!.Split('=', 2)[0]),
                _ => [],
            });
        }

        return keys;
    }

    /// <summary>Walks ImageProxy__A__B through the options' properties as the configuration binder would (case-insensitive).</summary>
    private static bool IsBound(string key)
    {
        var path = key[Prefix.Length..].Split("__");
        return BoundFromSection.Any(type => Resolves(type, path));
    }

    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return IsLeaf(type);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            // Any key; what follows must fit the value type.
            return Resolves(type.GetGenericArguments()[1], path[1..]);
        }

        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault();
            return element is not null && int.TryParse(path[0], out _) && Resolves(element, path[1..]);
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && (property.CanWrite || !IsLeaf(property.PropertyType)) && Resolves(property.PropertyType, path[1..]);
    }

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying.IsEnum || underlying == typeof(string) || underlying == typeof(decimal)
            || underlying == typeof(TimeSpan) || underlying == typeof(Uri);
    }
}
