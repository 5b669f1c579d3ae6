using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>fm=json, fm=blurhash, palette/colors/prefix and max-bytes/min-q: parsing, 400s and the canonical plan.</summary>
public class DocumentParameterTests
{
    [TestCase("fm=json", DocumentOutput.Json)]
    [TestCase("fm=blurhash", DocumentOutput.BlurHash)]
    [TestCase("fm=png&fm=json", DocumentOutput.Json)]
    [TestCase("fm=json&fm=png", DocumentOutput.None)]
    public void Fm_selects_a_document(string query, DocumentOutput expected) =>
        Assert.That(Query.Plan(query).Document, Is.EqualTo(expected));

    [Test]
    public void A_document_has_no_image_format_and_ignores_accept()
    {
        var plan = Query.Plan("fm=json&auto=format");
        var decision = FormatChoice.Choose(plan, "image/avif,image/webp", _ => true).Value!;
        Assert.That((plan.Format, decision.Format, decision.AcceptMattered), Is.EqualTo(((ImageFormat?)null, (ImageFormat?)null, false)));
    }

    [TestCase("fm=json", "fm=json")]
    [TestCase("fm64=Ymx1cmhhc2g", "fm=blurhash")]
    [TestCase("palette=css&prefix=frog&colors=3", "colors=3&palette=css&prefix=frog")]
    [TestCase("palette=json&prefix=frog", "palette=json")]
    [TestCase("colors=3&prefix=frog", "")]
    [TestCase("palette=json&colors=6", "palette=json")]
    [TestCase("max-bytes=20000&min-q=40", "max-bytes=20000&min-q=40")]
    [TestCase("min-q=40", "")]
    public void Canonical_text_keeps_what_changes_the_answer(string query, string canonical)
    {
        var text = CacheKey.Canonical(Query.Plan(query));
        Assert.That(Items(text), Is.EqualTo(Items(canonical)));
        Assert.That(Query.Plan(text), Is.EqualTo(Query.Plan(query)), "the canonical text reads back to the same plan");
    }

    private static string[] Items(string query) => query.Split('&', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

    [TestCase("palette=svg", "palette")]
    [TestCase("colors=17", "colors")]
    [TestCase("colors=-1", "colors")]
    [TestCase("palette=css&prefix=a;}body{", "prefix")]
    [TestCase("prefix=1abc", "prefix")]
    [TestCase("max-bytes=100", "max-bytes")]
    [TestCase("max-bytes=lots", "max-bytes")]
    [TestCase("min-q=0", "min-q")]
    [TestCase("fm=bmp", "fm")]
    public void Bad_values_are_a_400_naming_the_parameter(string query, string name)
    {
        var error = Query.Error(query);
        Assert.That((error.Status, error.Message), Is.EqualTo((400, error.Message)));
        Assert.That(error.Message, Does.Contain($"'{name}'"));
    }
}
