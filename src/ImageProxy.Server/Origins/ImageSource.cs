using ImageProxy.Server.Configuration;

namespace ImageProxy.Server.Origins;

/// <summary>A configured source together with the origin that serves it.</summary>
public sealed record ImageSource(SourceDefinition Definition, IOrigin Origin)
{
    public string Name => Definition.Name;

    public override string ToString() => Definition.ToString();
}
