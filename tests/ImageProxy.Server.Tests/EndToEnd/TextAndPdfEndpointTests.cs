using System.Net;
using ImageProxy.Imaging;

namespace ImageProxy.Server.Tests.EndToEnd;

/// <summary>
/// Issue 12 through the server: the /~text typesetting endpoint, the sources' textMarkup and enableLoaders switches,
/// and PDF sources (a clear 4xx unless the source enables PDF and the loaded libvips can read it).
/// </summary>
[Category("Smoke")]
public sealed class TextAndPdfEndpointTests : EndToEndTest
{
    private static ProxyApplication WithSwitches()
    {
        var app = new ProxyApplication(
            """{"name":"docs","pathPrefix":"/docs","kind":"folder","folder":{"root":"./images"},"enableLoaders":["pdf"],"textMarkup":true}""");
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "pdf-two-pages-200x160.pdf"), Path.Combine(app.Directory, "images", "doc.pdf"));
        return app;
    }

    [Test]
    public async Task Typeset_endpoint_answers_a_png_of_the_text_with_an_etag_that_revalidates()
    {
        using var response = await Get("/samples/~text?txt=Hello&txt-size=40&w=300");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        using var image = NetVips.Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
        Assert.That((image.Width, image.HasAlpha()), Is.EqualTo((300, true)));

        using var again = await Get("/samples/~text?txt-size=40&w=300&t=Hello", ifNoneMatch: response.Headers.ETag!.Tag);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified), "same plan through aliases: same ETag");
    }

    [Test]
    public async Task Typeset_endpoint_without_txt_is_a_400()
    {
        using var response = await Get("/samples/~text?w=300");
        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Markup_is_literal_by_default_and_interpreted_on_a_source_that_enables_it()
    {
        using var app = WithSwitches();
        using var client = app.CreateClient();
        const string Query = "~text?txt-size=30&txt-pad=0&txt=%3Cb%3Ex%3C%2Fb%3E";
        using var literal = await client.GetAsync("/samples/" + Query);
        using var markup = await client.GetAsync("/docs/" + Query);
        using var literalImage = NetVips.Image.NewFromBuffer(await literal.Content.ReadAsByteArrayAsync());
        using var markupImage = NetVips.Image.NewFromBuffer(await markup.Content.ReadAsByteArrayAsync());
        // "<b>x</b>" drawn as eight characters, against one bold x.
        Assert.That(literalImage.Width, Is.GreaterThan(4 * markupImage.Width));
    }

    [Test]
    public async Task A_pdf_is_a_422_on_a_source_that_has_not_enabled_it_and_renders_or_says_the_build_cannot_where_it_is()
    {
        using var app = WithSwitches();
        File.Copy(Path.Combine(RepositoryPaths.Corpus, "pdf-two-pages-200x160.pdf"), Path.Combine(app.Directory, "images", "same.pdf"));
        using var client = app.CreateClient();

        using var refused = await client.GetAsync("/samples/doc.pdf?w=100");
        Assert.That(await AssertProblem(refused, HttpStatusCode.UnprocessableEntity), Does.Contain("enableLoaders"));

        using var enabled = await client.GetAsync("/docs/doc.pdf?w=100&page=2&fm=png");
        if (!VipsRuntime.CanReadPdf)
        {
            Assert.That(await AssertProblem(enabled, HttpStatusCode.UnprocessableEntity), Does.Contain("cannot read PDF"));
            return;
        }

        Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enabled.Content.ReadAsStringAsync());
        using var page = NetVips.Image.NewFromBuffer(await enabled.Content.ReadAsByteArrayAsync());
        Assert.That(page.Getpoint(80, 40)[..3], Is.EqualTo(new double[] { 255, 0, 0 }).Within(30), "page 2's red bar");

        using var pastTheEnd = await client.GetAsync("/docs/doc.pdf?page=9");
        Assert.That(await AssertProblem(pastTheEnd, HttpStatusCode.BadRequest), Does.Contain("page"));
    }
}
