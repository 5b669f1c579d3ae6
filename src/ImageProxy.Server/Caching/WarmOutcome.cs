namespace ImageProxy.Server.Caching;

public enum WarmOutcome
{
    Hit,
    Miss,
    Failure,
}
