namespace ImageProxy.Transform;

/// <summary>
/// Applies one parameter's (decoded) value to a plan. <paramref name="name"/> is the key as the client wrote it,
/// so error messages name what the user typed (e.g. 'width' rather than 'w').
/// </summary>
internal delegate Result<TransformPlan> ParameterApplier(TransformPlan plan, string name, string value, Limits limits);
