using System.Collections.Concurrent;
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
/// AN IN-PROCESS FAKE, not Google: a loopback Kestrel server that plays the documented parts of the GCS
/// JSON API that the gcs origin uses, because no GCS emulator runs here (shared/services.md §3).
/// - POST /token: the OAuth JWT-bearer grant. The assertion's RS256 signature is verified against the
///   service account's public key, so Google.Apis.Auth really signs; an unknown key gets 400 invalid_grant.
/// - GET /storage/v1/b/{bucket}/o/{object}?alt=media: media download. The object name is one
///   percent-encoded path segment; only issued bearer tokens are accepted (401 otherwise); ETag
///   (quoted MD5), Last-Modified, If-None-Match and If-Modified-Since (304) as the real API does;
///   missing objects give 404 with a GCS-style JSON error.
/// </summary>
public sealed class FakeGcsServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Bucket, string Name), (byte[] Bytes, string Type, string ETag, DateTimeOffset Modified)> _objects = new();
    private readonly ConcurrentDictionary<string, bool> _issued = new();
    private readonly RSA _trustedKey;
    private WebApplication _app = null!;

    public FakeGcsServer(RSA trustedKey) => _trustedKey = trustedKey;

    public Uri BaseUrl { get; private set; } = null!;

    public int TokensIssued => _issued.Count;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        // One terminal handler: app.Run would otherwise shadow mapped endpoints.
        _app.Run(async context =>
        {
            if (context.Request.Path == "/token" && HttpMethods.IsPost(context.Request.Method))
            {
                await (await HandleTokenAsync(context)).ExecuteAsync(context);
                return;
            }

            await HandleDownloadAsync(context);
        });
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public void Put(string bucket, string name, byte[] bytes, string contentType)
        => _objects[(bucket, name)] = (bytes, contentType, $"\"{Convert.ToBase64String(MD5.HashData(bytes))}\"", DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60));

    private async Task<IResult> HandleTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var assertion = form["assertion"].ToString();
        var parts = assertion.Split('.');
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || parts.Length != 3
            || !_trustedKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400);
        }

        var token = "ya29.fake-" + Guid.NewGuid().ToString("N");
        _issued[token] = true;
        return Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" });
    }

    private async Task HandleDownloadAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = target.Split('?')[0].Split('/');
        // "", storage, v1, b, {bucket}, o, {object}: the object is exactly one segment, '/' inside it is %2F.
        if (path.Length != 7 || path[1] != "storage" || path[2] != "v1" || path[3] != "b" || path[5] != "o" || context.Request.Query["alt"] != "media")
        {
            context.Response.StatusCode = 400;
            return;
        }

        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.ContainsKey(auth["Bearer ".Length..]))
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 401, message = "Invalid Credentials" } });
            return;
        }

        var bucket = Uri.UnescapeDataString(path[4]);
        var name = Uri.UnescapeDataString(path[6]);
        if (!_objects.TryGetValue((bucket, name), out var found))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 404, message = $"No such object: {bucket}/{name}" } });
            return;
        }

        context.Response.Headers.ETag = found.ETag;
        context.Response.Headers.LastModified = found.Modified.ToString("R");
        var since = context.Request.GetTypedHeaders().IfModifiedSince;
        if (context.Request.Headers.IfNoneMatch == found.ETag || (context.Request.Headers.IfNoneMatch.Count == 0 && since >= found.Modified))
        {
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.ContentType = found.Type;
        context.Response.ContentLength = found.Bytes.Length;
        await context.Response.Body.WriteAsync(found.Bytes, context.RequestAborted);
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - padded.Length % 4) % 4), '='));
    }

    /// <summary>A service-account key file (the JSON Google issues) whose token_uri points at this fake.</summary>
    public string WriteKeyFile(string directory, RSA key, string keyId)
    {
        var path = Path.Combine(directory, $"sa-{keyId}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "imageproxy-test",
            ["private_key_id"] = keyId,
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "proxy@imageproxy-test.iam.gserviceaccount.com",
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
}
