namespace ImageProxy.Server.Origins;

public enum OriginStatus
{
    Ok,
    NotModified,
    NotFound,
}
