using System.Text.RegularExpressions;
using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Server.Tests;

/// <summary>
/// The README's parameter tables are the user's contract: every supported parameter and alias is in the URL API table,
/// and the coverage table lists all 179 imgix parameters with the support level the code really has.
/// </summary>
public class ReadmeDriftTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

    public static IEnumerable<ParameterDefinition> Supported() => Parameters.All;

    [TestCaseSource(nameof(Supported))]
    public void Every_supported_parameter_has_a_row_in_the_readme_table(ParameterDefinition parameter)
    {
        Assert.That(Readme, Does.Contain($"| `{parameter.Name}` |"), $"README table lacks a row for '{parameter.Name}'");
        foreach (var alias in parameter.Aliases)
        {
            Assert.That(Readme, Does.Contain($"`{alias}`"), $"README table lacks the alias '{alias}' of '{parameter.Name}'");
        }
    }

    /// <summary>Rows of the "Parameter coverage" table: name → (aliases cell, status cell).</summary>
    private static Dictionary<string, (string Aliases, string Status)> CoverageRows()
    {
        var section = Readme[Readme.IndexOf("### Parameter coverage", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = new Dictionary<string, (string, string)>();
        foreach (Match row in Regex.Matches(section, @"^\| `([^`]+)` \| ([^|]*) \| ([^|]+) \|", RegexOptions.Multiline))
        {
            rows.Add(row.Groups[1].Value, (row.Groups[2].Value.Trim(), row.Groups[3].Value.Trim()));
        }

        return rows;
    }

    [Test]
    public void The_coverage_table_lists_exactly_imgixs_179_parameters()
    {
        Assert.That(CoverageRows().Keys, Is.EquivalentTo(ImgixParameters.All.Select(p => p.Name)));
        Assert.That(CoverageRows(), Has.Count.EqualTo(179));
    }

    public static IEnumerable<TestCaseData> Imgix() => ImgixParameters.All.Select(p => new TestCaseData(p).SetName($"Coverage row of {p.Name}"));

    [TestCaseSource(nameof(Imgix))]
    public void Each_coverage_row_states_the_real_support_level_and_aliases(ImgixParameter parameter)
    {
        var (aliases, status) = CoverageRows()[parameter.Name];
        var expected = ImgixParameters.SupportOf(parameter) switch
        {
            ParameterSupport.Implemented => "implemented",
            ParameterSupport.AcceptedWithoutEffect => "accepted, no effect",
            _ => "not implemented",
        };
        Assert.That(status, Is.EqualTo(expected));
        Assert.That(aliases, Is.EqualTo(string.Join(", ", parameter.Aliases.Select(a => $"`{a}`"))));
    }
}
