namespace ImageProxy.Transform;

/// <summary>Chooses the output format from fm/auto and the Accept header (imgix-reference §4.2–4.3).</summary>
public static class FormatChoice
{
    /// <summary>
    /// Before the source is read. <paramref name="canWrite"/> says which formats the loaded libvips can save;
    /// an explicit fm it cannot write is a 400 naming fm.
    /// </summary>
    public static Result<FormatDecision> Choose(TransformPlan plan, string? acceptHeader, Func<ImageFormat, bool> canWrite)
        => throw new NotImplementedException();

    /// <summary>After the header read: settles "same as source" (and auto=compress) into a format the saver can write.</summary>
    public static ImageFormat Resolve(FormatDecision decision, SourceFacts source, Func<ImageFormat, bool> canWrite)
        => throw new NotImplementedException();
}
