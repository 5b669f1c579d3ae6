using System.Net;
using System.Text.Json;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>
/// Base for tests through the whole server, on the real Transform and Imaging code and libvips (the NuGet build,
/// or Debian's with IMAGEPROXY_LIBVIPS=system).
/// </summary>
[Category("EndToEnd")]
public abstract class EndToEndTest
{
    protected ProxyApplication App { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartServer()
    {
        App = new ProxyApplication();
        Client = App.CreateClient();
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        Client.Dispose();
        App.Dispose();
    }

    protected Task<HttpResponseMessage> Get(string url, string? accept = null, string? ifNoneMatch = null)
        => Send(HttpMethod.Get, url, accept, ifNoneMatch);

    protected async Task<HttpResponseMessage> Send(HttpMethod method, string url, string? accept = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await Client.SendAsync(request);
    }

    protected static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    /// <summary>Asserts the status and a short ProblemDetails body with no trace of internals; returns its title.</summary>
    protected static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        AssertNoInternals(body);

        using var json = JsonDocument.Parse(body);
        Assert.That(json.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
        return json.RootElement.GetProperty("title").GetString()!;
    }

    protected static void AssertNoInternals(string body)
    {
        Assert.That(body, Does.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Contain(".cs:line").And.Not.Contain("/tmp/"));
        Assert.That(body.Length, Is.LessThan(1024), "error bodies stay short");
    }
}
