using ImageProxy.Server.Origins;
using ImageProxy.Transform;

namespace ImageProxy.Server;

/// <summary>Everything <see cref="ImageService"/> needs, already parsed and authorised by the HTTP layer.</summary>
/// <param name="ObjectKey">Decoded, validated key within the source.</param>
public sealed record ImageRequest(
    ImageSource Source,
    string ObjectKey,
    TransformPlan Plan,
    FormatDecision Format,
    ClientConditions Conditions)
{
    /// <summary>The versions of the images mark, blend and mask name, once resolved (null = none, or not resolved yet).</summary>
    public Overlays.OverlaySet? Overlays { get; init; }
}
