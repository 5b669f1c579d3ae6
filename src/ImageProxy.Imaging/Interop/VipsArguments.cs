namespace ImageProxy.Imaging.Interop;

/// <summary>
/// Named inputs for one libvips operation, in the order they are set. Required entries must exist on the operation
/// (an unknown name is a <see cref="VipsException"/>); optional entries are skipped when the loaded libvips build lacks them.
/// A null value is skipped, so callers can pass "not given" straight through.
/// </summary>
internal sealed class VipsArguments : List<VipsArgument>
{
    public VipsArguments Set(string name, object? value)
    {
        if (value is not null)
        {
            Add(new VipsArgument(name, value, Optional: false));
        }

        return this;
    }

    /// <summary>Sets <paramref name="name"/> only when this libvips build has that argument (e.g. effort, keep).</summary>
    public VipsArguments SetIfSupported(string name, object? value)
    {
        if (value is not null)
        {
            Add(new VipsArgument(name, value, Optional: true));
        }

        return this;
    }
}
