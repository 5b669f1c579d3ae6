namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// Reads a backing service's address from the environment. Under test.sh (CI or IMAGEPROXY_REQUIRE_SERVICES=1)
/// a missing variable FAILS the test, so a broken service start can never turn into silently skipped
/// tests; elsewhere the test is ignored with the reason.
/// </summary>
public static class RequiredService
{
    public static string Get(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var message = $"{variable} is not set: {what} is not running (./test.sh starts it).";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } || Environment.GetEnvironmentVariable("IMAGEPROXY_REQUIRE_SERVICES") == "1")
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        return null!;
    }
}
