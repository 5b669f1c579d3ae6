namespace ImageProxy.Server.Configuration;

/// <summary>An S3 bucket, on AWS or any S3-compatible store (serviceUrl + forcePathStyle).</summary>
/// <param name="ServiceUrl">null = AWS itself, located by region.</param>
/// <param name="AccessKeyId">null (with <paramref name="SecretAccessKey"/>) = the AWS default credential chain.</param>
/// <param name="KeyPrefix">Prepended to every object key ("" or ends with '/' as the operator wrote it).</param>
public sealed record S3SourceSettings(
    string Bucket,
    string Region,
    Uri? ServiceUrl,
    bool ForcePathStyle,
    string? AccessKeyId,
    string? SecretAccessKey,
    string KeyPrefix,
    TimeSpan Timeout,
    long MaxBytes) : SourceSettings
{
    // The generated ToString would print the secret.
    public override string ToString() => $"s3 {Bucket} ({ServiceUrl?.ToString() ?? Region})";
}
