using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Origins.Contract;

/// <summary>
/// AN IN-PROCESS FAKE OF THE DOCUMENTED GCS JSON API, not Google: no GCS emulator runs here (docs/sources.md
/// "Tests"), so this loopback Kestrel server answers the requests Google.Cloud.Storage.V1's StorageClient
/// really sends, as the JSON API reference documents them:
/// - Authorization: for a service-account key the SDK sends a self-signed JWT as the bearer token (no token
///   endpoint round trip; Google documents this for its APIs). The fake checks it as Google does: RS256 signature
///   against the account's public key (so Google.Apis.Auth really signs; another key gets 401), issuer = the
///   account, not expired, and the read-only (or a wider) storage scope.
/// - GET /storage/v1/b/{bucket}/o/{object}: objects.get, the object resource as JSON (int64s as strings,
///   RFC 3339 times, md5Hash, crc32c); with alt=media the bytes, with the x-goog-generation and x-goog-hash
///   headers the SDK checks the download against; gzip-stored objects with transcoding. The object name is ONE
///   percent-encoded path segment.
/// - Preconditions and selection as documented: ifGenerationNotMatch (304 when equal), ifGenerationMatch (412
///   when not), generation (that generation or 404).
/// - GET /storage/v1/b/{bucket}/o: objects.list (prefix, maxResults), 404 for a bucket that does not exist.
/// Errors use the API's JSON error shape. Every request's
/// target is recorded in <see cref="Requests"/>, so tests can check what the SDK asked for.
/// </summary>
public sealed class FakeGcsServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Bucket, string Name), StoredObject> _objects = new();
    private readonly ConcurrentDictionary<string, bool> _buckets = new();
    private readonly ConcurrentDictionary<(string Name, bool DownloadsOnly), int> _failing = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly RSA _trustedKey;
    private long _lastGeneration;
    private WebApplication _app = null!;

    public FakeGcsServer(RSA trustedKey) => _trustedKey = trustedKey;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The service account that <see cref="WriteKeyFile"/> writes.</summary>
    public const string ClientEmail = "proxy@imageproxy-test.iam.gserviceaccount.com";

    /// <summary>"GET /storage/v1/b/…?…" for every request so far.</summary>
    public IReadOnlyCollection<string> Requests => _requests.ToArray();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        // One terminal handler: app.Run would otherwise shadow mapped endpoints.
        _app.Run(HandleStorageAsync);
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Stores a new generation of an object (creating its bucket).</summary>
    /// <param name="contentEncoding">"gzip" for bytes stored gzip-compressed, which GCS serves with transcoding.</param>
    public void Put(string bucket, string name, byte[] bytes, string contentType, string? contentEncoding = null)
    {
        _buckets[bucket] = true;
        // Generations are microsecond timestamps in GCS; strictly increasing here as there.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        long generation;
        lock (_objects)
        {
            generation = _lastGeneration = Math.Max(_lastGeneration + 1, now);
        }

        _objects[(bucket, name)] = new StoredObject(bytes, contentType, contentEncoding, generation, DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60));
    }

    /// <summary>Makes the next <paramref name="times"/> requests for this object answer 503, as GCS does when overloaded;
    /// only its media downloads when <paramref name="downloadsOnly"/>.</summary>
    public void FailWith503(string name, int times, bool downloadsOnly = false) => _failing[(name, downloadsOnly)] = times;

    /// <summary>The bearer JWT is signed by the trusted key, issued by its account, unexpired, and scoped for reading storage.</summary>
    private bool IsAuthorised(string authorization)
    {
        var parts = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3
            || !_trustedKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return false;
        }

        using var claims = JsonDocument.Parse(Base64Url(parts[1]));
        var root = claims.RootElement;
        var scopes = root.TryGetProperty("scope", out var scope) ? scope.GetString()!.Split(' ') : [];
        return root.GetProperty("iss").GetString() == ClientEmail
               && root.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds()
               && scopes.Any(s => s.StartsWith("https://www.googleapis.com/auth/devstorage.", StringComparison.Ordinal) || s == "https://www.googleapis.com/auth/cloud-platform");
    }

    private async Task HandleStorageAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        _requests.Enqueue($"{context.Request.Method} {target}");
        var path = target.Split('?')[0].Split('/');
        // "", storage, v1, b, {bucket}, o[, {object}]: the object is exactly one segment, '/' inside it is %2F.
        if (!HttpMethods.IsGet(context.Request.Method) || path.Length is not (6 or 7) || path[1] != "storage" || path[2] != "v1" || path[3] != "b" || path[5] != "o")
        {
            await ErrorAsync(context, 400, "badRequest", "The fake answers objects.get and objects.list only.");
            return;
        }

        if (!IsAuthorised(context.Request.Headers.Authorization.ToString()))
        {
            await ErrorAsync(context, 401, "required", "Invalid Credentials");
            return;
        }

        var bucket = Uri.UnescapeDataString(path[4]);
        if (!_buckets.ContainsKey(bucket))
        {
            await ErrorAsync(context, 404, "notFound", "The specified bucket does not exist.");
            return;
        }

        if (path.Length == 6)
        {
            await ListAsync(context, bucket);
            return;
        }

        var name = Uri.UnescapeDataString(path[6]);
        var query = context.Request.Query;
        var failing = (name, query["alt"] == "media");
        if ((_failing.TryGetValue(failing, out var left) || _failing.TryGetValue(failing = (name, false), out left)) && left > 0)
        {
            _failing[failing] = left - 1;
            await ErrorAsync(context, 503, "backendError", "Backend Error");
            return;
        }

        if (!_objects.TryGetValue((bucket, name), out var found)
            || (query.TryGetValue("generation", out var wanted) && wanted != Text(found.Generation)))
        {
            await ErrorAsync(context, 404, "notFound", $"No such object: {bucket}/{name}");
            return;
        }

        if (query.TryGetValue("ifGenerationMatch", out var mustMatch) && mustMatch != Text(found.Generation))
        {
            await ErrorAsync(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
            return;
        }

        if (query.TryGetValue("ifGenerationNotMatch", out var mustNotMatch) && mustNotMatch == Text(found.Generation))
        {
            context.Response.StatusCode = 304;
            return;
        }

        if (query["alt"] == "media")
        {
            context.Response.Headers.ETag = found.ETag;
            context.Response.Headers.LastModified = found.Updated.ToString("R");
            context.Response.Headers["x-goog-generation"] = Text(found.Generation);
            context.Response.Headers["x-goog-metageneration"] = "1";
            context.Response.Headers["x-goog-stored-content-length"] = Text(found.Bytes.Length);
            context.Response.Headers["x-goog-hash"] = $"crc32c={found.Crc32c},md5={found.Md5}";
            context.Response.ContentType = found.ContentType;
            if (found.ContentEncoding == "gzip")
            {
                await WriteTranscodedAsync(context, found);
                return;
            }

            context.Response.ContentLength = found.Bytes.Length;
            await context.Response.Body.WriteAsync(found.Bytes, context.RequestAborted);
            return;
        }

        await context.Response.WriteAsJsonAsync(Resource(bucket, name, found));
    }

    /// <summary>
    /// Transcoding of gzip-compressed objects, as documented: a client that accepts gzip gets the stored bytes with
    /// Content-Encoding: gzip; any other gets them decompressed by the server (no Content-Length). Either way the
    /// bytes the client ends up with are larger than the object's size, which is the compressed size.
    /// </summary>
    private static async Task WriteTranscodedAsync(HttpContext context, StoredObject found)
    {
        context.Response.Headers["x-goog-stored-content-encoding"] = "gzip";
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = found.Bytes.Length;
            await context.Response.Body.WriteAsync(found.Bytes, context.RequestAborted);
            return;
        }

        await using var gunzip = new System.IO.Compression.GZipStream(new MemoryStream(found.Bytes), System.IO.Compression.CompressionMode.Decompress);
        await gunzip.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private async Task ListAsync(HttpContext context, string bucket)
    {
        var prefix = context.Request.Query["prefix"].ToString();
        var max = int.TryParse(context.Request.Query["maxResults"], out var m) ? m : 1000;
        var items = _objects.Where(o => o.Key.Bucket == bucket && o.Key.Name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(o => o.Key.Name, StringComparer.Ordinal).Take(max).Select(o => Resource(bucket, o.Key.Name, o.Value)).ToArray();
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["kind"] = "storage#objects", ["items"] = items });
    }

    private Dictionary<string, string> Resource(string bucket, string name, StoredObject found)
    {
        var escaped = Uri.EscapeDataString(name);
        var resource = new Dictionary<string, string>
        {
            ["kind"] = "storage#object",
            ["id"] = $"{bucket}/{name}/{Text(found.Generation)}",
            ["selfLink"] = new Uri(BaseUrl, $"storage/v1/b/{bucket}/o/{escaped}").AbsoluteUri,
            ["mediaLink"] = new Uri(BaseUrl, $"download/storage/v1/b/{bucket}/o/{escaped}?generation={Text(found.Generation)}&alt=media").AbsoluteUri,
            ["name"] = name,
            ["bucket"] = bucket,
            ["generation"] = Text(found.Generation),
            ["metageneration"] = "1",
            ["contentType"] = found.ContentType,
            ["storageClass"] = "STANDARD",
            ["size"] = Text(found.Bytes.Length),
            ["md5Hash"] = found.Md5,
            ["crc32c"] = found.Crc32c,
            ["etag"] = found.ETag,
            ["timeCreated"] = found.Updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["updated"] = found.Updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (found.ContentEncoding is { } encoding)
        {
            resource["contentEncoding"] = encoding;
        }

        return resource;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string reason, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new
        {
            error = new { code = status, message, errors = new[] { new { message, domain = "global", reason } } },
        });
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - padded.Length % 4) % 4), '='));
    }

    /// <summary>A service-account key file (the JSON Google issues); token_uri points here although the SDK signs its own tokens.</summary>
    public string WriteKeyFile(string directory, RSA key, string keyId)
    {
        var path = Path.Combine(directory, $"sa-{keyId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "imageproxy-test",
            ["private_key_id"] = keyId,
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = ClientEmail,
            ["client_id"] = "1234567890",
            ["token_uri"] = new Uri(BaseUrl, "/token").AbsoluteUri,
        }));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record StoredObject(byte[] Bytes, string ContentType, string? ContentEncoding, long Generation, DateTimeOffset Updated)
    {
        public string Md5 { get; } = Convert.ToBase64String(MD5.HashData(Bytes));

        /// <summary>CRC32C (Castagnoli), big-endian, base64: the form of the resource's crc32c and of x-goog-hash.</summary>
        public string Crc32c { get; } = Convert.ToBase64String(BigEndian(Castagnoli(Bytes)));

        /// <summary>GCS's etag is opaque; any value that changes with the generation serves.</summary>
        public string ETag => $"\"C{Text(Generation)}EAE=\"";

        private static byte[] BigEndian(uint value)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            return bytes;
        }

        private static uint Castagnoli(byte[] data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc ^= b;
                for (var bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
