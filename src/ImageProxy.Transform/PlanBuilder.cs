namespace ImageProxy.Transform;

/// <summary>Parameters → <see cref="TransformPlan"/>, or the first error naming the parameter.</summary>
public static class PlanBuilder
{
    /// <summary>
    /// Builds the plan. <paramref name="defaults"/> are the source's defaultParams: applied first, the URL wins.
    /// Unknown parameters are ignored; known ones with bad values give a 400 naming them.
    /// </summary>
    public static Result<TransformPlan> Build(ParsedRequest request, IReadOnlyDictionary<string, string>? defaults = null, Limits? limits = null)
        => throw new NotImplementedException();
}
