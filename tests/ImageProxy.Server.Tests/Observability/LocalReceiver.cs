using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.Observability;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) that records every request it gets and answers with
/// <see cref="Status"/>: stands in for the Fastly and Cloudflare APIs and for an OTLP/HTTP collector.
/// </summary>
internal sealed class LocalReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int Status { get; set; } = StatusCodes.Status200OK;

    public string BaseUrl => _app.Urls.First();

    public static async Task<LocalReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LocalReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path.Value ?? "", headers, body.ToArray()));
            context.Response.StatusCode = receiver.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"success":true}""");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }
}
