using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

[TestFixture]
public sealed class ClientHintsTests
{
    private static readonly int[] Buckets = [100, 116, 135, 156, 181, 210, 244, 283, 328, 380, 441, 512, 594, 689, 799, 927, 1075];

    private static TransformPlan Plan(string query) => PlanBuilder.Build(RequestParser.Parse(query).Value!).Value!;

    private static ClientHintOutcome Apply(string query, params (string Name, string Value)[] headers)
    {
        var parsed = RequestParser.Parse(query).Value!;
        var lookup = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return ClientHints.Apply(PlanBuilder.Build(parsed).Value!, ClientHints.Requested(parsed), lookup.GetValueOrDefault, Buckets, Limits.Default);
    }

    [TestCase("ch=Width,DPR,Save-Data", ClientHint.Width | ClientHint.Dpr | ClientHint.SaveData)]
    [TestCase("ch=width,save-data", ClientHint.Width | ClientHint.SaveData)]
    [TestCase("ch=DPR&ch=Width", ClientHint.Width)]
    [TestCase("ch=Viewport-Width,nonsense", ClientHint.None)]
    [TestCase("w=100", ClientHint.None)]
    public void Ch_names_the_requested_hints(string query, ClientHint expected)
    {
        Assert.That(ClientHints.Requested(RequestParser.Parse(query).Value!), Is.EqualTo(expected));
    }

    [TestCase(1, 100)]
    [TestCase(100, 100)]
    [TestCase(101, 116)]
    [TestCase(700, 799)]
    [TestCase(5000, 1075)]
    public void Width_is_snapped_up_to_a_bucket(int hint, int expected)
    {
        Assert.That(ClientHints.SnapUp(hint, Buckets), Is.EqualTo(expected));
    }

    [Test]
    public void A_width_hint_replaces_w_and_dpr_and_is_never_below_the_hint()
    {
        var outcome = Apply("w=300&dpr=2&ch=Width,DPR", ("Sec-CH-Width", "650"), ("Sec-CH-DPR", "2"));
        Assert.That(outcome.Plan.Width, Is.EqualTo(SizeValue.Pixels(689)));
        Assert.That(outcome.Plan.Dpr, Is.EqualTo(1));
        Assert.That(outcome.ContentDpr, Is.Null, "the DPR hint did not shape the result");
        Assert.That(outcome.VaryHeaders, Is.EqualTo(new[] { "Sec-CH-Width" }));
    }

    [Test]
    public void A_pixel_box_keeps_its_aspect_ratio()
    {
        var outcome = Apply("w=400&h=200&fit=crop&ch=Width", ("Width", "500"));
        Assert.That(outcome.Plan.Width, Is.EqualTo(SizeValue.Pixels(512)));
        Assert.That(outcome.Plan.Height, Is.EqualTo(SizeValue.Pixels(256)));
        Assert.That(outcome.VaryHeaders, Is.EqualTo(new[] { "Sec-CH-Width", "Width" }), "the legacy header mattered because the standard one was absent");
    }

    [Test]
    public void A_dpr_hint_multiplies_when_there_is_no_width_hint_rounded_up_to_a_quarter_and_capped()
    {
        var outcome = Apply("w=300&ch=Width,DPR", ("Sec-CH-DPR", "2.625"));
        Assert.That(outcome.Plan.Width, Is.EqualTo(SizeValue.Pixels(300)));
        Assert.That(outcome.Plan.Dpr, Is.EqualTo(2.75));
        Assert.That(outcome.ContentDpr, Is.EqualTo(2.75));
        Assert.That(outcome.VaryHeaders, Is.EqualTo(new[] { "Sec-CH-Width", "Width", "Sec-CH-DPR" }));
        Assert.That(Apply("w=300&ch=DPR", ("DPR", "9")).Plan.Dpr, Is.EqualTo(Limits.Default.MaxDpr));
    }

    [Test]
    public void Save_data_lowers_quality_to_45_but_keeps_a_lower_q()
    {
        Assert.That(Apply("w=300&ch=Save-Data", ("Save-Data", "on")).Plan.Quality, Is.EqualTo(45));
        Assert.That(Apply("w=300&q=30&ch=Save-Data", ("Save-Data", "on")).Plan.Quality, Is.EqualTo(30));
        var off = Apply("w=300&ch=Save-Data");
        Assert.That(off.Plan.Quality, Is.Null);
        Assert.That(off.VaryHeaders, Is.EqualTo(new[] { "Save-Data" }));
    }

    [Test]
    public void Without_ch_the_headers_change_nothing_and_nothing_varies()
    {
        var outcome = Apply("w=300&dpr=2", ("Sec-CH-Width", "900"), ("Sec-CH-DPR", "3"), ("Save-Data", "on"));
        Assert.That(outcome.Plan, Is.EqualTo(Plan("w=300&dpr=2")));
        Assert.That(outcome.VaryHeaders, Is.Empty);
        Assert.That(outcome.AcceptHeaders, Is.Empty);
    }

    [TestCase("abc")]
    [TestCase("-5")]
    [TestCase("0")]
    [TestCase("NaN")]
    public void A_malformed_width_hint_leaves_the_url_values(string value)
    {
        var outcome = Apply("w=300&dpr=2&ch=Width", ("Sec-CH-Width", value));
        Assert.That(outcome.Plan, Is.EqualTo(Plan("w=300&dpr=2")));
    }

    [Test]
    public void Hints_bound_the_number_of_distinct_plans()
    {
        var plans = Enumerable.Range(1, 1075).Select(w => Apply("ch=Width", ("Sec-CH-Width", w.ToString())).Plan).Distinct().Count();
        Assert.That(plans, Is.EqualTo(Buckets.Length));
    }
}
