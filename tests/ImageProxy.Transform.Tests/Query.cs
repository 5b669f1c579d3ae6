using ImageProxy.Transform;
using NUnit.Framework;

namespace ImageProxy.Transform.Tests;

/// <summary>Test shorthand: raw query → parsed → built plan.</summary>
internal static class Query
{
    public static Result<TransformPlan> Build(string query, IReadOnlyDictionary<string, string>? defaults = null, Limits? limits = null)
    {
        var parsed = RequestParser.Parse(query);
        return parsed.IsOk ? PlanBuilder.Build(parsed.Value!, defaults, limits) : parsed.Error!;
    }

    public static TransformPlan Plan(string query, IReadOnlyDictionary<string, string>? defaults = null)
    {
        var result = Build(query, defaults);
        Assert.That(result.Error, Is.Null, $"query '{query}' should build");
        return result.Value!;
    }

    public static TransformError Error(string query, IReadOnlyDictionary<string, string>? defaults = null)
    {
        var result = Build(query, defaults);
        Assert.That(result.Error, Is.Not.Null, $"query '{query}' should be refused");
        return result.Error!;
    }
}
