using System.Threading.RateLimiting;
using ImageProxy.Server.Http;
using ImageProxy.Transform;
using Microsoft.AspNetCore.RateLimiting;

namespace ImageProxy.Server.Security;

/// <summary>
/// Optional per-client limit (ASP.NET Core's rate limiter, a token bucket per remote IP address). The processing
/// gate protects the machine from the sum of all clients; this stops a single client from taking the whole gate.
/// </summary>
/// <remarks>
/// The ops endpoints (/_imageproxy/…) are exempt: a load balancer probing health from one address must not be
/// throttled into declaring the instance dead. Behind a CDN or load balancer the remote address is the proxy's unless
/// Security:TrustedProxies names it (<see cref="TrustedProxies"/>); X-Forwarded-For from anyone else is ignored, since
/// trusting it blindly would let every client pick its own bucket.
/// </remarks>
public static class ClientRateLimiting
{
    public static void Configure(RateLimiterOptions options, RateLimitSettings settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, _) => new ValueTask(ErrorResults.WriteAsync(context.HttpContext, ServerError.RateLimited));
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (context.Request.Path.StartsWithSegments(Configuration.SourcesFile.ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return RateLimitPartition.GetNoLimiter("ops");
            }

            // A peer's hop was counted against the real client on the node it first reached; keyed on the peer's
            // address here, all clients' misses would share one bucket.
            if (context.RequestServices.GetService<Cluster.ClusterForwarder>()?.IsHop(context) == true)
            {
                return RateLimitPartition.GetNoLimiter("cluster");
            }

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.EffectiveBurst,
                TokensPerPeriod = settings.PermitsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                // No queue: waiting requests hold connections and memory, which is what the limit is meant to prevent.
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
    }
}
