using ImageProxy.Client;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>
/// The Transform assembly stays pure: it may reference only the BCL and ImageProxy.Client (for the shared URL
/// signer), and the client itself references only the BCL, so nothing else can come in through it.
/// </summary>
public class PurityTests
{
    private static IEnumerable<string> NonBcl(System.Reflection.Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(name => !(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib"));

    [Test]
    public void Transform_references_only_the_bcl_and_the_client()
    {
        Assert.That(typeof(TransformPlan).Assembly.GetReferencedAssemblies(), Is.Not.Empty);
        Assert.That(NonBcl(typeof(TransformPlan).Assembly), Is.SubsetOf(new[] { "ImageProxy.Client" }));
    }

    [Test]
    public void Client_references_only_the_bcl()
    {
        Assert.That(typeof(UrlSigner).Assembly.GetReferencedAssemblies(), Is.Not.Empty);
        Assert.That(NonBcl(typeof(UrlSigner).Assembly), Is.Empty);
    }
}
