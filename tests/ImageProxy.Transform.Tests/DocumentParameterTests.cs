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

/// <summary>frame, interval, skip, reverse, loop, fps: parsing and which frames they keep.</summary>
public class AnimationParameterTests
{
    [TestCase("frame=3", 10, new[] { 2 })]
    [TestCase("frame=2:4", 10, new[] { 1, 2, 3 })]
    [TestCase("frame=8:", 10, new[] { 7, 8, 9 })]
    [TestCase("frame=:2", 10, new[] { 0, 1 })]
    [TestCase("interval=3", 7, new[] { 0, 3, 6 })]
    [TestCase("skip=3", 7, new[] { 1, 2, 4, 5 })]
    [TestCase("frame=2:5&reverse=1", 10, new[] { 4, 3, 2, 1 })]
    [TestCase("frame=20", 10, new int[0])]
    public void Frames_kept(string query, int frames, int[] expected) =>
        Assert.That(Query.Plan(query).Animation.Select(frames), Is.EqualTo(expected));

    [TestCase("frame=1:", "")]
    [TestCase("frame=3:3", "frame=3")]
    [TestCase("frame=:4", "frame=:4")]
    [TestCase("interval=1", "")]
    [TestCase("reverse=true&loop=2&fps=12", "reverse=1&loop=2&fps=12")]
    public void Canonical_forms(string query, string canonical) =>
        Assert.That(CacheKey.Canonical(Query.Plan(query)), Is.EqualTo(canonical));

    [TestCase("frame=0", "frame")]
    [TestCase("frame=4:2", "frame")]
    [TestCase("frame=:", "frame")]
    [TestCase("frame=a", "frame")]
    [TestCase("interval=0", "interval")]
    [TestCase("skip=0", "skip")]
    [TestCase("fps=61", "fps")]
    [TestCase("loop=-1", "loop")]
    [TestCase("reverse=maybe", "reverse")]
    public void Bad_values_are_a_400_naming_the_parameter(string query, string name) =>
        Assert.That(Query.Error(query).Message, Does.Contain($"'{name}'"));

    [Test]
    public void Auto_format_names_the_animated_format_by_accept()
    {
        var plan = Query.Plan("auto=format");
        Assert.That(FormatChoice.Choose(plan, "image/avif,image/webp", _ => true).Value!.AnimatedFormat, Is.EqualTo(ImageFormat.WebP));
        Assert.That(FormatChoice.Choose(plan, "image/avif", _ => true).Value!.AnimatedFormat, Is.EqualTo(ImageFormat.Gif));
    }
}

/// <summary>txt and the txt-* parameters: aliases, fonts, and that they only count with a txt.</summary>
public class TextParameterTests
{
    [TestCase("t=Hi&tsz=30&tc=f00&ta=top,left&tp=4&tf=serif,bold", "txt=Hi&txt-font=DejaVu%20Serif%2Cbold&txt-size=30&txt-color=FF0000&txt-align=top%2Cleft&txt-pad=4")]
    [TestCase("txt-size=30&txt-color=red", "")]
    [TestCase("txt=Hi&txt-font=AvenirNext-DemiBold", "txt=Hi&txt-font=DejaVu%20Sans%2Cbold")]
    [TestCase("t=Hi&txtfit=max&tcl=start,ellipsis&tl=3&txtlineclr=00f&tsh=2.5&txtx=-5&txty=7&txtlead=4&tt=-2",
        "txt=Hi&txt-fit=max&txt-clip=start%2Cellipsis&txt-line=3&txt-line-color=0000FF&txt-shad=2.5&txt-x=-5&txt-y=7&txt-lead=4&txt-track=-2")]
    [TestCase("txt=Hi&txt-clip=end&txt-line=0&txt-line-color=fff&txt-shad=0&txt-lead=0&txt-track=0", "txt=Hi")]
    [TestCase("txt-fit=max&txt-x=4&txt-line=2&txt-track=3", "")]
    [TestCase("txt=Hi&txt-line-color=f00", "txt=Hi&txt-line-color=FF0000")]
    [TestCase("txt64=SGk&txt-clip64=bWlkZGxl&txt-line64=Mg", "txt=Hi&txt-clip=middle&txt-line=2")]
    public void Canonical_forms(string query, string canonical)
    {
        var plan = Query.Plan(query);
        Assert.That(Query.Plan(CacheKey.Canonical(plan)), Is.EqualTo(plan), "the canonical text reads back to the same plan");
        Assert.That(Query.Plan(canonical), Is.EqualTo(plan));
    }

    [TestCase("txt-size=0", "txt-size")]
    [TestCase("txt-align=up", "txt-align")]
    [TestCase("txt-color=nope", "txt-color")]
    [TestCase("txt-font=,", "txt-font")]
    [TestCase("txt=a%00b", "txt")]
    [TestCase("txt=a%1Bb", "txt")]
    [TestCase("txt-fit=min", "txt-fit")]
    [TestCase("txt-clip=end,sideways", "txt-clip")]
    [TestCase("txt-line=33", "txt-line")]
    [TestCase("txt-line=-1", "txt-line")]
    [TestCase("txt-line-color=nope", "txt-line-color")]
    [TestCase("txt-shad=10.5", "txt-shad")]
    [TestCase("txt-x=1.5", "txt-x")]
    [TestCase("txt-y=9000", "txt-y")]
    [TestCase("txt-lead=-1", "txt-lead")]
    [TestCase("txt-track=-33", "txt-track")]
    [TestCase("tt=x", "tt")]
    [TestCase("page=0", "page")]
    [TestCase("page=two", "page")]
    [TestCase("pdf-annotation=maybe", "pdf-annotation")]
    public void Bad_values_are_a_400_naming_the_parameter(string query, string name) =>
        Assert.That(Query.Error(query).Message, Does.Contain($"'{name}'"));

    [Test]
    public void Too_long_a_text_is_a_400() =>
        Assert.That(Query.Error("txt=" + new string('a', Parameters.MaxTextLength + 1)).Message, Does.Contain("'txt'"));
}

/// <summary>page and pdf-annotation: defaults, alias, canonical text.</summary>
public class PdfParameterTests
{
    [TestCase("page=1&pdf-annotation=true", "")]
    [TestCase("page=3&annotation=0", "page=3&pdf-annotation=false")]
    [TestCase("page64=Mg", "page=2")]
    public void Canonical_forms(string query, string canonical)
    {
        var plan = Query.Plan(query);
        Assert.That(CacheKey.Canonical(plan), Is.EqualTo(canonical));
        Assert.That(Query.Plan(canonical), Is.EqualTo(plan));
    }

    [Test]
    public void Pages_make_different_cache_keys()
    {
        static string Key(string q) => CacheKey.Compute("s", "doc.pdf", null, Query.Plan(q), ImageFormat.Png, "");
        Assert.That(Key("page=2"), Is.Not.EqualTo(Key("page=1")));
        Assert.That(Key("page=1"), Is.EqualTo(Key("")));
    }

    [Test]
    public void The_markup_switch_joins_the_output_policy_and_the_pdf_switch_does_not()
    {
        Assert.That((Limits.Default with { TextMarkup = true }).OutputPolicy, Is.Not.EqualTo(Limits.Default.OutputPolicy));
        Assert.That((Limits.Default with { PdfLoader = true }).OutputPolicy, Is.EqualTo(Limits.Default.OutputPolicy));
    }
}
