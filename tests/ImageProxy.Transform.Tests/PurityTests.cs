using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>The Transform assembly stays pure: it may reference only the BCL.</summary>
public class PurityTests
{
    [Test]
    public void ReferencesOnlyBclAssemblies()
    {
        var references = typeof(TransformPlan).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.That(references, Is.Not.Empty);
        Assert.That(
            references.Where(name => !(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib")),
            Is.Empty);
    }
}
