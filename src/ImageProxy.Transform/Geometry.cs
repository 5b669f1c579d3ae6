namespace ImageProxy.Transform;

/// <summary>Plan + source facts + limits → <see cref="ResolvedGeometry"/>. Pure math (imgix-reference §3.3–3.5).</summary>
public static class Geometry
{
    public static Result<ResolvedGeometry> Resolve(TransformPlan plan, SourceFacts source, Limits limits)
        => throw new NotImplementedException();
}
