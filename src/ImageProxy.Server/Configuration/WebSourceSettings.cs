namespace ImageProxy.Server.Configuration;

/// <param name="BaseUrl">http(s) URL that object keys are appended to.</param>
/// <param name="Timeout">Whole-fetch budget (headers and body).</param>
/// <param name="MaxBytes">Largest original accepted from this origin.</param>
public sealed record WebSourceSettings(Uri BaseUrl, TimeSpan Timeout, long MaxBytes);
