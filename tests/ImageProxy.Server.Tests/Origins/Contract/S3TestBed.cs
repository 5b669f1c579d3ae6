using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImageProxy.Server.Configuration;
using ImageProxy.Server.Origins;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// An S3 server from test.sh: IMAGEPROXY_TEST_S3 is its URL, IMAGEPROXY_TEST_S3_ACCESS_KEY/_SECRET_KEY its
/// credentials (s3rver: S3RVER/S3RVER). The bucket is created if missing. Subclasses point it at another
/// server through the variable names (<see cref="CephS3TestBed"/>).
/// </summary>
public class S3TestBed : IBucketOriginTestBed
{
    public const string Bucket = "imageproxy-contract";
    private readonly List<IDisposable> _created = [];
    private Uri _serviceUrl = null!;
    private string _accessKey = null!;
    private string _secretKey = null!;

    public virtual string SourceName => "contract-s3";

    public string? Secret => "definitely-wrong-secret";

    public string MissingBucket => "imageproxy-no-such-bucket";

    /// <summary>"us-east-1" for S3; GCS interoperability signs with "auto".</summary>
    protected virtual string Region => "us-east-1";

    /// <summary>Environment variable prefix: {prefix} = URL, {prefix}_ACCESS_KEY, {prefix}_SECRET_KEY.</summary>
    protected virtual string Variable => "IMAGEPROXY_TEST_S3";

    protected virtual string ServiceDescription => "the S3 test server";

    /// <summary>
    /// True when the server checks SigV4 signatures (radosgw): then the denied origin has the right key id and a
    /// wrong secret, the case that matters in production. s3rver checks only the key id, so there the refusal
    /// has to come from an unknown key id.
    /// </summary>
    protected virtual bool VerifiesSignatures => false;

    public async Task StartAsync()
    {
        _serviceUrl = new Uri(RequiredService.Variable(Variable, ServiceDescription));
        _accessKey = Environment.GetEnvironmentVariable(Variable + "_ACCESS_KEY") ?? "S3RVER";
        _secretKey = Environment.GetEnvironmentVariable(Variable + "_SECRET_KEY") ?? "S3RVER";
        using var client = AdminClient();
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyExists" or "BucketAlreadyOwnedByYou")
        {
        }
    }

    public async Task PutAsync(string key, byte[] bytes, string contentType)
    {
        using var client = AdminClient();
        // aws-chunked uploads are stored with their framing by s3rver and refused by Ceph 16.
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = key, InputStream = new MemoryStream(bytes), ContentType = contentType, UseChunkEncoding = false,
        });
    }

    public IOrigin CreateOrigin(string keyPrefix, long maxBytes) => Track(new S3Origin(SourceName, Settings(keyPrefix, maxBytes, _accessKey, _secretKey)));

    public IOrigin CreateDeniedOrigin(string keyPrefix)
        => Track(new S3Origin(SourceName, Settings(keyPrefix, 1 << 20, VerifiesSignatures ? _accessKey : "UNKNOWNKEYID", Secret!)));

    public IOrigin CreateOriginOnMissingBucket(string keyPrefix)
        => Track(new S3Origin(SourceName, Settings(keyPrefix, 1 << 20, _accessKey, _secretKey) with { Bucket = MissingBucket }));

    /// <summary>The service's URL and working credentials, for tests that write a sources file.</summary>
    public (Uri ServiceUrl, string AccessKey, string SecretKey) Connection => (_serviceUrl, _accessKey, _secretKey);

    private S3SourceSettings Settings(string keyPrefix, long maxBytes, string keyId, string secret)
        => new(Bucket, Region, _serviceUrl, ForcePathStyle: true, keyId, secret, keyPrefix, TimeSpan.FromSeconds(10), maxBytes);

    private AmazonS3Client AdminClient() => new(new BasicAWSCredentials(_accessKey, _secretKey), new AmazonS3Config
    {
        ServiceURL = _serviceUrl.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private S3Origin Track(S3Origin origin)
    {
        _created.Add(origin);
        return origin;
    }

    public ValueTask DisposeAsync()
    {
        _created.ForEach(d => d.Dispose());
        return ValueTask.CompletedTask;
    }
}
