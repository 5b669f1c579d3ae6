namespace ImageProxy.Server.Tests.Caching.Support;

/// <summary>
/// The redis-server the suite runs against: test.sh starts one and exports IMAGEPROXY_TEST_REDIS=host:port.
/// Under test.sh (CI or IMAGEPROXY_REQUIRE_SERVICES=1) its absence fails the Redis tests; a developer without
/// Redis sees them as ignored, with the reason.
/// </summary>
internal static class TestRedis
{
    public static string RequireEndpoint()
    {
        var endpoint = Environment.GetEnvironmentVariable("IMAGEPROXY_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            return endpoint;
        }

        const string reason = "IMAGEPROXY_TEST_REDIS is not set (test.sh starts redis-server and sets it)";
        if (ServicesRequired)
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
        return "";
    }

    /// <summary>A key prefix of its own per test, so tests never see each other's keys.</summary>
    public static string UniquePrefix() => $"imageproxy-test:{Guid.NewGuid():N}:";

    private static bool ServicesRequired =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        || Environment.GetEnvironmentVariable("IMAGEPROXY_REQUIRE_SERVICES") == "1";
}
