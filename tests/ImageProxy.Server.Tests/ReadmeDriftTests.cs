using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Server.Tests;

/// <summary>The README's parameter table is the user's contract: every supported parameter and alias must be in it.</summary>
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
}
