using System.Globalization;
using System.Text;
using ImageProxy.Server.Caching;
using ImageProxy.Transform;
using Microsoft.Net.Http.Headers;

namespace ImageProxy.Server.Http;

/// <summary>
/// Response headers for images and 304s. The only request-derived value is the dl file name, which is
/// sanitised and RFC 5987-encoded, never copied raw; everything else is built from our own data.
/// </summary>
public static class ResponseHeaders
{
    /// <summary>Where the answer came from: lets the warm command count hits and an operator see the tier.</summary>
    public const string CacheStatusHeader = "X-Cache";

    /// <summary>Phase durations of this answer (origin, queue, render, total), for browser dev tools and the playground.</summary>
    public const string ServerTimingHeader = "Server-Timing";

    /// <summary><c>origin;dur=…, queue;dur=…, render;dur=…, total;dur=…</c> in milliseconds (phases that did not run are 0).</summary>
    public static string ServerTiming(RequestTimings timings) => string.Create(
        CultureInfo.InvariantCulture,
        $"origin;dur={timings.Origin.TotalMilliseconds:0.#}, queue;dur={timings.Queue.TotalMilliseconds:0.#}, render;dur={timings.Render.TotalMilliseconds:0.#}, total;dur={timings.Total.TotalMilliseconds:0.#}");

    /// <summary>The lossy quality the body was encoded at (the one max-bytes settled on, else q or its default).</summary>
    public const string QualityHeader = "X-Image-Quality";

    /// <summary>Present when max-bytes made the picture smaller than asked: "max-bytes; WxH" with the size served.</summary>
    public const string DownscaledHeader = "X-Image-Downscaled";

    public static string CacheStatus(CacheTier tier, bool stale) => stale ? "STALE" : tier switch
    {
        CacheTier.Memory => "HIT-MEMORY",
        CacheTier.Disk => "HIT-DISK",
        CacheTier.Redis => "HIT-REDIS",
        _ => "MISS",
    };

    /// <summary>Headers shared by 200 and 304 (RFC 9110 15.4.5 asks a 304 to repeat them).</summary>
    /// <param name="sourceMaxAge">The source's cacheMaxAge in seconds.</param>
    /// <param name="expiresUnixSeconds">The URL's <c>expires</c>, when it has one.</param>
    public static void ApplyValidators(HttpResponse response, ImageResult result, long sourceMaxAge, long? expiresUnixSeconds, DateTimeOffset now)
    {
        var headers = response.Headers;
        headers.ETag = result.ETag;
        headers.CacheControl = CacheControl(result, sourceMaxAge, expiresUnixSeconds, now);
        if (result.SurrogateKeys.Count > 0)
        {
            // Fastly reads Surrogate-Key (space-separated), Cloudflare Cache-Tag (comma-separated): one purge
            // by the object tag drops every variant of the image at the CDN.
            headers["Surrogate-Key"] = string.Join(' ', result.SurrogateKeys);
            headers["Cache-Tag"] = string.Join(',', result.SurrogateKeys);
        }

        headers[CacheStatusHeader] = CacheStatus(result.Tier, result.Stale);
        if (result.LastModified is { } lastModified)
        {
            headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        }

        if (result.VaryOnAccept)
        {
            // Every response of an auto=format URL varies, including the fallback to the source format,
            // or a CDN would hand the JPEG fallback to a browser that accepts AVIF (docs/web.md, imgix: Formats).
            headers.Vary = HeaderNames.Accept;
        }

        headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>
    /// For <c>ch=</c> URLs (on 200 and 304): <c>Accept-CH</c> asks for the hints, <c>Vary</c> gains exactly the hint headers
    /// the result depended on, and <c>Content-DPR</c> tells the density a DPR hint produced, as imgix does.
    /// </summary>
    public static void ApplyClientHints(HttpResponse response, ClientHintOutcome hints)
    {
        if (hints.Requested == ClientHint.None)
        {
            return;
        }

        var headers = response.Headers;
        headers["Accept-CH"] = string.Join(", ", hints.AcceptHeaders);
        if (hints.VaryHeaders.Count > 0)
        {
            var vary = headers.Vary.ToString();
            headers.Vary = string.Join(", ", new[] { vary }.Where(v => v.Length > 0).Concat(hints.VaryHeaders));
        }

        if (hints.ContentDpr is { } dpr)
        {
            headers["Content-DPR"] = dpr.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Headers only a 200 carries.</summary>
    public static void ApplyContent(HttpResponse response, ImageResult result, string? downloadName)
    {
        response.ContentType = result.ContentType;
        response.ContentLength = result.Body.Length;
        if (result.Quality is { } quality)
        {
            response.Headers[QualityHeader] = quality.ToString(CultureInfo.InvariantCulture);
        }

        if (result.ShrunkForBudget)
        {
            // max-bytes could not be met at min-q: the picture is smaller than the URL asked, and the client should know.
            response.Headers[DownscaledHeader] = $"max-bytes; {result.Width.ToString(CultureInfo.InvariantCulture)}x{result.Height.ToString(CultureInfo.InvariantCulture)}";
        }
        if (!string.IsNullOrEmpty(downloadName))
        {
            response.Headers.ContentDisposition = ContentDisposition(downloadName);
        }
    }

    /// <summary>
    /// <c>public, max-age=N</c>, then what the result's grants allow caches after us: s-maxage (capped like max-age by
    /// <c>expires</c>), stale-while-revalidate and stale-if-error (none of the stale grants for a URL that expires).
    /// A stale answer is for this request only: max-age=0 and no s-maxage, so caches after us come back for the
    /// revalidated one instead of keeping the old image for the source's full max-age.
    /// </summary>
    public static string CacheControl(ImageResult result, long sourceMaxAge, long? expiresUnixSeconds, DateTimeOffset now)
    {
        var grants = result.Grants;
        var directives = new List<string>(4) { "public", Seconds("max-age", result.Stale ? 0 : MaxAge(sourceMaxAge, expiresUnixSeconds, now)) };
        if (!result.Stale && grants.SharedMaxAgeSeconds is { } shared)
        {
            directives.Add(Seconds("s-maxage", MaxAge(shared, expiresUnixSeconds, now)));
        }

        if (expiresUnixSeconds is null)
        {
            if (grants.StaleWhileRevalidateSeconds > 0)
            {
                directives.Add(Seconds("stale-while-revalidate", grants.StaleWhileRevalidateSeconds));
            }

            if (grants.StaleIfErrorSeconds > 0)
            {
                directives.Add(Seconds("stale-if-error", grants.StaleIfErrorSeconds));
            }
        }

        return string.Join(", ", directives);
    }

    private static string Seconds(string directive, long seconds) => directive + "=" + seconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The source's max-age, capped to the seconds left before <c>expires</c> so no cache keeps the image
    /// past the moment the URL stops being valid.
    /// </summary>
    public static long MaxAge(long sourceMaxAge, long? expiresUnixSeconds, DateTimeOffset now)
    {
        if (expiresUnixSeconds is not { } expires)
        {
            return sourceMaxAge;
        }

        var remaining = expires - now.ToUnixTimeSeconds();
        return Math.Clamp(remaining, 0, sourceMaxAge);
    }

    /// <summary>
    /// attachment; filename="ascii fallback" plus filename*=UTF-8''… when the name is not plain ASCII.
    /// Quotes, backslashes, control characters and path separators are replaced so the value can neither
    /// break out of the quoted string nor suggest a directory.
    /// </summary>
    public static string ContentDisposition(string downloadName)
    {
        var name = new string(downloadName.Where(c => !char.IsControl(c)).ToArray());
        if (name.Length == 0)
        {
            name = "download";
        }

        var fallback = string.Concat(name.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' and not '/' ? c : '_'));
        var value = $"attachment; filename=\"{fallback}\"";
        return name.All(c => c is >= ' ' and <= '~') ? value : $"{value}; filename*=UTF-8''{EncodeRfc5987(name)}";
    }

    private static string EncodeRfc5987(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            // attr-char (RFC 5987 3.2.1) is sent as is; everything else, including '/' and '"', is %XX.
            if (char.IsAsciiLetterOrDigit(c) || "!#$&+-.^_`|~".Contains(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
