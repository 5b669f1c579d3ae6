namespace ImageProxy.Client;

/// <summary>One <c>&lt;source type srcset&gt;</c> of a <c>&lt;picture&gt;</c>.</summary>
public sealed record PictureSource(string Type, string Srcset);
