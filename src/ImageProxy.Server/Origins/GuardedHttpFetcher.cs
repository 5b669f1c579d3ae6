using System.Net;

namespace ImageProxy.Server.Origins;

/// <summary>
/// The hardened HTTP client behind web and proxy sources: its own connection pool per source, every
/// connection through <see cref="GuardedConnector"/> (private and metadata addresses refused after DNS),
/// no cookies, no automatic decompression, at most <see cref="MaxRedirects"/> redirects each re-checked,
/// a connect timeout and one total deadline, and a byte cap counted while reading.
/// </summary>
public sealed class GuardedHttpFetcher : IDisposable
{
    public const int MaxRedirects = 3;

    private readonly string _sourceName;
    private readonly TimeSpan _timeout;
    private readonly long _maxBytes;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly HttpClient _client;

    public GuardedHttpFetcher(
        string sourceName, TimeSpan timeout, TimeSpan connectTimeout, long maxBytes,
        IReadOnlyDictionary<string, string> headers, Func<IPAddress, bool> isAllowed, IHostResolver? resolver = null)
    {
        _sourceName = sourceName;
        _timeout = timeout;
        _maxBytes = maxBytes;
        _headers = headers;
        var connector = new GuardedConnector(resolver ?? DnsHostResolver.Instance, isAllowed);
        var handler = new SocketsHttpHandler
        {
            // Redirects are followed by hand below: the handler's own following would not let us cap and
            // re-check each hop against the source's host rules.
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false, // an environment proxy would dial for us and bypass the address check
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes
            ConnectTimeout = connectTimeout,
            ConnectCallback = connector.ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(OriginHttpClient.UserAgent);
    }

    /// <param name="mayFollow">Extra rule for redirect targets (the proxy's allowed hosts); the address check applies regardless.</param>
    public async Task<OriginResult> FetchAsync(Uri url, OriginValidators validators, Func<Uri, bool> mayFollow, CancellationToken cancellationToken)
    {
        // One deadline covers connects, redirects, headers and body: a server that trickles bytes is as slow as one that never answers.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                foreach (var (name, value) in _headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                HttpOriginResponse.AddValidators(request, validators);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                if (!IsRedirect(response.StatusCode))
                {
                    return await HttpOriginResponse.ReadAsync(_sourceName, response, _maxBytes, deadline.Token);
                }

                if (hop == MaxRedirects)
                {
                    throw new OriginUnavailableException($"Source '{_sourceName}': more than {MaxRedirects} redirects from {url.Host}.", transient: false);
                }

                var location = response.Headers.Location
                    ?? throw new OriginUnavailableException($"Source '{_sourceName}': a redirect from {current.Host} without a Location.", transient: false);
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if ((next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(next.UserInfo) || !mayFollow(next))
                {
                    throw new OriginUnavailableException($"Source '{_sourceName}': a redirect from {current.Host} to a refused target ({next.Scheme}://{next.Host}).", transient: false);
                }

                current = next;
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': {current.Host} did not answer within {_timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex) when (HttpOriginResponse.Find<OriginAddressRefusedException>(ex) is { } refused)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': {refused.Message}", ex, transient: false);
        }
        catch (HttpRequestException ex) when (HttpOriginResponse.Find<TimeoutException>(ex) is not null)
        {
            throw new OriginTimeoutException($"Source '{_sourceName}': connecting to {current.Host} timed out.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': {current.Host} failed: {ex.Message}", ex);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OriginUnavailableException($"Source '{_sourceName}': {current.Host} broke off the body: {ex.Message}", ex);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public void Dispose() => _client.Dispose();
}
