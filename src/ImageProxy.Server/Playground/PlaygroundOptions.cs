namespace ImageProxy.Server.Playground;

/// <summary><c>ImageProxy:Playground</c>: the parameter playground at /_imageproxy/playground.</summary>
public sealed class PlaygroundOptions
{
    /// <summary>
    /// Off by default: the playground lists the images of folder sources, which a production deployment should not
    /// advertise. <c>--playground</c> turns it on (run.sh does, for the bundled samples).
    /// </summary>
    public bool Enabled { get; set; }
}
