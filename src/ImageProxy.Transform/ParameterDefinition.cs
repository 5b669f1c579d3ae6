namespace ImageProxy.Transform;

/// <summary>One supported imgix parameter: its canonical key, aliases, accepted values and how it sets the plan.</summary>
public sealed class ParameterDefinition
{
    internal ParameterDefinition(string name, string[] aliases, string values, ParameterApplier apply, Func<TransformPlan, string?> canonicalValue, string? noEffect = null)
    {
        NoEffect = noEffect;
        Name = name;
        Aliases = aliases;
        Values = values;
        Apply = apply;
        CanonicalValue = canonicalValue;
    }

    /// <summary>The canonical imgix key, e.g. <c>w</c>.</summary>
    public string Name { get; }

    /// <summary>Other keys meaning the same, e.g. <c>width</c>.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Human-readable description of the accepted values (for docs and error hints).</summary>
    public string Values { get; }

    /// <summary>
    /// Null for a parameter that renders; else why it is accepted (validated, a bad value is a 400) but changes
    /// nothing, e.g. <c>svg-sanitize</c> because SVG is never served as SVG.
    /// </summary>
    public string? NoEffect { get; }

    /// <summary>Sets the plan from a value, or returns a 400 naming the parameter.</summary>
    internal ParameterApplier Apply { get; }

    /// <summary>The plan's value for this parameter as canonical query text, or null when it is the default.</summary>
    internal Func<TransformPlan, string?> CanonicalValue { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
