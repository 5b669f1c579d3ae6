namespace ImageProxy.Server.Caching;

/// <summary>What a node publishes after a purge; <see cref="Node"/> lets the sender ignore its own message.</summary>
public sealed record PurgeMessage(string Node, string Source, string ObjectKey);
