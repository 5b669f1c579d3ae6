namespace ImageProxy.Server.Tests;

/// <summary>
/// The redis-server the suite runs against: test.sh starts one and exports IMAGEPROXY_TEST_REDIS=host:port.
/// Its absence fails or ignores the test by the one rule of <see cref="RequiredService"/>.
/// </summary>
internal static class TestRedis
{
    public static string RequireEndpoint() => RequiredService.Variable("IMAGEPROXY_TEST_REDIS", "redis-server");

    /// <summary>A key prefix of its own per test, so tests never see each other's keys.</summary>
    public static string UniquePrefix() => $"imageproxy-test:{Guid.NewGuid():N}:";
}
