namespace ImageProxy.Transform;

/// <summary>
/// A user mistake or a refused request, as a value: an HTTP status and a short public message
/// (never a stack trace, never the libvips error text).
/// </summary>
public sealed record TransformError(int Status, string Message)
{
    public static TransformError BadParameter(string name, string why) => new(400, $"Invalid value for parameter '{name}': {why}");
    public static TransformError Forbidden(string why) => new(403, why);
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
