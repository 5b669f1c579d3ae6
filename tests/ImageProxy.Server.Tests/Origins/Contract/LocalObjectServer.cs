using System.Collections.Concurrent;
using System.Security.Cryptography;
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
/// A plain HTTP origin on 127.0.0.1 for web and proxy sources: GET /objects/{key} serves stored objects
/// (the key percent-decoded once from the raw request target), with ETag/Last-Modified and 304s;
/// anything under /denied/ answers 403. Extra behaviours can be mapped by the caller before start.
/// </summary>
public sealed class LocalObjectServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string Type, string ETag)> _objects = new();
    private static readonly DateTimeOffset Modified = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task StartAsync(Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        map?.Invoke(_app);
        // Middleware rather than app.Run, so the caller's mapped endpoints still get the other paths.
        _app.Use(async (context, next) =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget.Split('?')[0];
            if (raw.StartsWith("/denied/", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 403;
                return;
            }

            if (!raw.StartsWith("/objects/", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            if (!_objects.TryGetValue(Uri.UnescapeDataString(raw["/objects/".Length..]), out var found))
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.Headers.ETag = found.ETag;
            context.Response.Headers.LastModified = Modified.ToString("R");
            var since = context.Request.GetTypedHeaders().IfModifiedSince;
            if (context.Request.Headers.IfNoneMatch == found.ETag || (context.Request.Headers.IfNoneMatch.Count == 0 && since >= Modified))
            {
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.ContentType = found.Type;
            context.Response.ContentLength = found.Bytes.Length;
            await context.Response.Body.WriteAsync(found.Bytes, context.RequestAborted);
        });
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public void Put(string key, byte[] bytes, string contentType)
        => _objects[key] = (bytes, contentType, $"\"{Convert.ToHexString(MD5.HashData(bytes))}\"");

    public async ValueTask DisposeAsync()
    {
        // Never started: a fixture whose set-up stopped early (a missing service) still disposes it.
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
