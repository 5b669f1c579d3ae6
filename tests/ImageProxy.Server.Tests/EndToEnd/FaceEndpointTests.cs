using System.Net;
using System.Text.Json;
using ImageProxy.Imaging.Faces;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>Face features through the whole server: detection on by default, a source's switch, the ready endpoint.</summary>
public sealed class FaceEndpointTests : EndToEndTest
{
    [OneTimeSetUp]
    public void AddPortrait()
    {
        // The astronaut (tests/faces, labelled face at 172,80 90×100) in the samples folder.
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "faces", "astronaut.png"), Path.Combine(App.Directory, "images", "astronaut.png"));
    }

    private static ProxyApplication WithNoFacesSource() =>
        new("""{"name":"nofaces","pathPrefix":"/nofaces","kind":"folder","folder":{"root":"./images"},"faceDetection":false}""");

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return JsonDocument.Parse(body).RootElement;
    }

    [Test]
    public async Task Json_lists_the_faces_by_default()
    {
        using var response = await Get("/samples/astronaut.png?fm=json&faces=1");
        var root = await Json(response);

        var faces = root.GetProperty("Faces").EnumerateArray().ToList();
        Assert.That(faces, Has.Count.EqualTo(1));
        var bounds = faces[0].GetProperty("bounds");
        Assert.That(bounds.GetProperty("x").GetInt32(), Is.InRange(150, 195));
        Assert.That(bounds.GetProperty("y").GetInt32(), Is.InRange(60, 110));
        Assert.That(root.GetProperty("PixelWidth").GetInt32(), Is.EqualTo(512));
    }

    [Test]
    public async Task Bad_face_values_are_400()
    {
        using var response = await Get("/samples/astronaut.png?fm=json&faces=2");
        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_source_can_switch_detection_off()
    {
        using var app = WithNoFacesSource();
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "faces", "astronaut.png"), Path.Combine(app.Directory, "images", "astronaut.png"));
        using var client = app.CreateClient();

        using var on = await client.GetAsync("/samples/astronaut.png?fm=json&faces=1");
        using var off = await client.GetAsync("/nofaces/astronaut.png?fm=json&faces=1");
        Assert.That((await Json(on)).GetProperty("Faces").GetArrayLength(), Is.EqualTo(1));
        Assert.That((await Json(off)).TryGetProperty("Faces", out _), Is.False);

        // crop=faces on the switched-off source is the centre crop.
        using var faces = await client.GetAsync("/nofaces/astronaut.png?fit=crop&crop=faces&w=512&h=128&fm=png");
        using var centre = await client.GetAsync("/nofaces/astronaut.png?fit=crop&w=512&h=128&fm=png");
        using var detected = await client.GetAsync("/samples/astronaut.png?fit=crop&crop=faces&w=512&h=128&fm=png");
        var centreBytes = await centre.Content.ReadAsByteArrayAsync();
        Assert.That(await faces.Content.ReadAsByteArrayAsync(), Is.EqualTo(centreBytes));
        Assert.That(await detected.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(centreBytes));
    }

    [Test]
    public async Task A_detector_that_cannot_load_fails_ready_and_no_request()
    {
        using var standard = new ProxyApplication();
        using var app = standard.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton(new FaceFinder(() => throw new DllNotFoundException("onnxruntime is missing")))));
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/_imageproxy/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
        Assert.That(body, Does.Contain("face detector"));

        using var render = await client.GetAsync("/samples/pic.png?fit=facearea&w=50&h=50");
        Assert.That(render.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a face crop falls back instead of failing");
    }
}
