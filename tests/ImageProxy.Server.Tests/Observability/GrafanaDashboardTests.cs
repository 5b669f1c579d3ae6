using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>deploy/grafana/imageproxy-dashboard.json is valid JSON, and every series its queries name is in a real scrape.</summary>
[Category("EndToEnd")]
public sealed partial class GrafanaDashboardTests
{
    [Test]
    public async Task Every_metric_the_dashboard_queries_is_exported()
    {
        var path = Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "imageproxy-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var expressions = Expressions(dashboard.RootElement).ToArray();
        var referenced = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).ToHashSet();

        var cacheDir = Directory.CreateTempSubdirectory("imageproxy-dashboard-").FullName;
        try
        {
            // Every tier and the Redis breaker present (nothing listens on port 1: Redis is skipped, the breaker reads 0).
            using var app = new HostileProxy(settings: new Dictionary<string, string?>
            {
                ["ImageProxy:CacheDir"] = cacheDir,
                ["ImageProxy:Redis"] = "127.0.0.1:1",
            });
            using var client = app.CreateClient();
            using (var rendered = await client.GetAsync("/img/pic.png?w=16"))
            using (var missing = await client.GetAsync("/img/none.png"))
            {
                Assert.That(new[] { rendered.StatusCode, missing.StatusCode }, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
            }

            var scrape = await PrometheusScrape.FetchAsync(client);

            Assert.That(expressions, Has.Length.GreaterThanOrEqualTo(10));
            Assert.That(referenced, Does.Contain("imageproxy_requests_total").And.Contain("imageproxy_redis_breaker_open"));
            Assert.That(referenced.Where(name => !scrape.Has(name)), Is.Empty, "queried by the dashboard but missing from the scrape");
        }
        finally
        {
            Directory.Delete(cacheDir, recursive: true);
        }
    }

    private static IEnumerable<string> Expressions(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var nested in Expressions(property.Value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray().SelectMany(Expressions))
                {
                    yield return item;
                }

                break;
        }
    }

    // Series names only: label names inside {…} and "by (…)" never start with these prefixes.
    [GeneratedRegex(@"\b(imageproxy|http_server)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
