namespace ImageProxy.Transform;

/// <summary>
/// What the core refuses: a parameter that does not parse, a plan that cannot be built, a source the geometry (or the
/// imaging pipeline, through ImagingException) cannot serve. An HTTP status and a short public message written for the
/// user (never a stack trace, never the libvips error text). The server's own answers (signature, routing, origin and
/// capacity failures) are its ServerError, which wraps these.
/// </summary>
public sealed record TransformError(int Status, string Message)
{
    public static TransformError BadParameter(string name, string why) => new(400, $"Invalid value for parameter '{name}': {why}");
    public static TransformError TooLarge(string why) => new(413, why);
    public static TransformError Unprocessable(string why) => new(422, why);
}

/// <summary>Either a value or a <see cref="TransformError"/>.</summary>
public readonly record struct Result<T>(T? Value, TransformError? Error)
{
    public bool IsOk => Error is null;
    public static implicit operator Result<T>(T value) => new(value, null);
    public static implicit operator Result<T>(TransformError error) => new(default, error);
}
