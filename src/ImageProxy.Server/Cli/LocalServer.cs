namespace ImageProxy.Server.Cli;

/// <summary>Where `health` and `purge` find the server when no --base is given: the address it was told to listen on.</summary>
public static class LocalServer
{
    public const string Fallback = "http://127.0.0.1:8080";

    /// <summary>The first of ASPNETCORE_URLS (as a container sets it), with a wildcard host replaced by loopback.</summary>
    public static string BaseUrl(Func<string, string?> environment)
    {
        var first = environment("ASPNETCORE_URLS")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return Fallback;
        }

        // Kestrel's "listen everywhere" spellings are not addresses a client can connect to.
        foreach (var wildcard in new[] { "//0.0.0.0", "//*", "//+", "//[::]" })
        {
            first = first.Replace(wildcard, "//127.0.0.1", StringComparison.Ordinal);
        }

        return first.TrimEnd('/');
    }
}
