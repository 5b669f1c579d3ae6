namespace ImageProxy.Server.Origins;

/// <summary>The source has no such object (or the key was refused as unsafe, which must look the same). Public answer: 404.</summary>
public sealed class ObjectNotFoundException() : Exception("Not found");
