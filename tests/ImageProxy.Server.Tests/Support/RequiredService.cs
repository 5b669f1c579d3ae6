using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The one rule for tests that need something outside the process (redis-server, s3rver, azurite, Chromium, the npm
/// packages of tests/vectors): under CI or ./test.sh (CI set, or IMAGEPROXY_REQUIRE_SERVICES=1) a missing service
/// FAILS the test, so a broken service start can never turn into silently skipped tests; elsewhere (a developer
/// without the service) the test is ignored, with what is missing and how to get it.
/// </summary>
internal static class RequiredService
{
    /// <summary>True under CI or ./test.sh.</summary>
    public static bool Required =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        || Environment.GetEnvironmentVariable("IMAGEPROXY_REQUIRE_SERVICES") == "1";

    /// <summary>The service's address from <paramref name="variable"/>; fails or ignores the test when it is not set.</summary>
    public static string Variable(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Missing($"{variable} is not set: {what} is not running (./test.sh starts it).");
        }

        return value;
    }

    /// <summary><paramref name="path"/> when the file exists; fails or ignores the test when it does not.</summary>
    public static string File(string path, string what)
    {
        if (!System.IO.File.Exists(path))
        {
            Missing($"{path} is missing: {what}.");
        }

        return path;
    }

    [DoesNotReturn]
    private static void Missing(string message)
    {
        if (Required)
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
        throw new UnreachableException();
    }
}
