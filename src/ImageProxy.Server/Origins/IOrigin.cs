namespace ImageProxy.Server.Origins;

/// <summary>
/// The seam between the proxy and wherever originals live. Missing and unchanged objects
/// are ordinary results; failures are typed exceptions: <see cref="OriginUnavailableException"/> (502),
/// <see cref="OriginTimeoutException"/> (504), <see cref="SourceTooLargeException"/> (413).
/// </summary>
public interface IOrigin
{
    /// <param name="objectKey">Decoded, validated key (see <see cref="ObjectKey"/>): '/'-separated, no leading '/'.</param>
    /// <param name="validators">The caller's copy of the original, if any; the origin answers NotModified when it still matches.</param>
    Task<OriginResult> FetchAsync(string objectKey, OriginValidators validators, CancellationToken cancellationToken);
}
