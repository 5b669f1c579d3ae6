using System.Diagnostics;

namespace ImageProxy.Server;

/// <summary>Phase timings of one request, filled in as it goes, for the one summary log line (Http/RequestTelemetry).</summary>
public sealed class RequestTimings
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public TimeSpan Origin { get; set; }
    public TimeSpan Queue { get; set; }
    public TimeSpan Render { get; set; }

    public TimeSpan Total => Stopwatch.GetElapsedTime(_started);
}
