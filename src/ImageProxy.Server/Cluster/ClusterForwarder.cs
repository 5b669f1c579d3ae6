using System.Net;
using System.Security.Cryptography;
using System.Text;
using ImageProxy.Server.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace ImageProxy.Server.Cluster;

/// <summary>
/// Sends a cache miss to the node that owns the variant (YARP's <see cref="IHttpForwarder"/>), so each variant is
/// rendered and stored once in the cluster. One hop at most: the hop carries the cluster token in
/// <see cref="HopHeader"/>, and a request that arrives with it is always served where it lands. An owner that
/// cannot be reached is marked down and the miss is rendered here.
/// </summary>
public sealed class ClusterForwarder : IDisposable
{
    public const string HopHeader = "X-ImageProxy-Cluster-Hop";

    private readonly ClusterMembership _membership;
    private readonly IHttpForwarder _forwarder;
    private readonly ILogger<ClusterForwarder> _logger;
    private readonly byte[] _token;
    private readonly HttpMessageInvoker _client;
    private readonly HopTransformer _transformer;
    private readonly ForwarderRequestConfig _requestConfig;

    public ClusterForwarder(ClusterMembership membership, IHttpForwarder forwarder, IOptions<ClusterOptions> options, ILogger<ClusterForwarder> logger)
    {
        var settings = options.Value;
        _membership = membership;
        _forwarder = forwarder;
        _logger = logger;
        Enabled = settings.Enabled;
        _token = Encoding.UTF8.GetBytes(settings.Token ?? string.Empty);
        _transformer = new HopTransformer(settings.Token ?? string.Empty);
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.ConnectTimeoutMilliseconds),
            ActivityHeadersPropagator = null,
        });
        _requestConfig = new ForwarderRequestConfig
        {
            // The owner's own processing timeout answers first; this only bounds a peer that went silent.
            ActivityTimeout = TimeSpan.FromSeconds(60),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public bool Enabled { get; }

    /// <summary>
    /// What <see cref="ImageService.GetAsync"/> calls on a miss, with the variant's validator-free key; it returns
    /// true when the owner answered the client. Null (render here) when the cluster is off or this is already a hop.
    /// </summary>
    public Func<string, Task<bool>>? HandOffFor(HttpContext context) =>
        !Enabled || IsHop(context) ? null : key => TryForwardAsync(context, key);

    /// <summary>A request a peer forwarded: it carries the cluster token. Compared in constant time.</summary>
    public bool IsHop(HttpContext context)
    {
        if (!Enabled || !context.Request.Headers.TryGetValue(HopHeader, out var values) || values.Count != 1)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(values[0] ?? string.Empty), _token);
    }

    private async Task<bool> TryForwardAsync(HttpContext context, string key)
    {
        var owner = _membership.OwnerOf(key);
        if (owner == _membership.Self)
        {
            return false;
        }

        var error = await _forwarder.SendAsync(context, owner, _client, _requestConfig, _transformer);
        if (error == ForwarderError.None || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            // Answered by the owner, or a failure half-way through the body (nothing left to fix), or the client left.
            return true;
        }

        _membership.MarkDown(owner);
        _logger.LogWarning("Cluster peer {Peer} unreachable ({Error}); marked down, rendering here", owner, error);
        context.Response.Clear(); // YARP set 502; the local render answers instead
        return false;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Same method and headers; the target exactly as the client sent it (signatures cover the raw bytes); the hop header set.</summary>
    private sealed class HopTransformer(string token) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(
            HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = new Uri(destinationPrefix + RequestTarget.Raw(httpContext), UriKind.Absolute);
            proxyRequest.Headers.Remove(HopHeader);
            proxyRequest.Headers.TryAddWithoutValidation(HopHeader, token);
        }
    }
}
