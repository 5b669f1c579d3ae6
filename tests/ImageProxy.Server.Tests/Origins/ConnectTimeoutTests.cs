using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ImageProxy.Server.Tests.Origins;

/// <summary>
/// An origin that never completes the TCP handshake, built on loopback only: a listening socket that never
/// accepts, with its accept queue filled by a few parked connections. Linux then drops further SYNs, so a
/// connect hangs exactly as it does towards a black-holed host, and only the configured connect timeout
/// (web) or whole-fetch timeout (s3, azure, gcs: one clock, SDK timeouts off) can end it: 504, close to the configured time.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class ConnectTimeoutTests
{
    private Socket _listener = null!;
    private readonly List<Socket> _parked = [];
    private ProxyApplication _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0); // never accepted from
        var endpoint = (IPEndPoint)_listener.LocalEndPoint!;

        // Fill the accept queue: connects succeed until it is full, then one hangs (its SYN is dropped).
        var hung = false;
        for (var i = 0; i < 8 && !hung; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _parked.Add(socket);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                await socket.ConnectAsync(endpoint, wait.Token);
            }
            catch (OperationCanceledException)
            {
                hung = true;
            }
        }

        // Without this the test would pass on a refused or instant connection and prove nothing.
        Assert.That(hung, Is.True, "the listener's backlog never filled, so connects would not hang");

        // A service-account key whose token endpoint is the black hole too: the token fetch is inside the deadline.
        var keyFile = Path.Combine(Directory.CreateTempSubdirectory("imageproxy-blackhole-").FullName, "sa.json");
        using (var key = System.Security.Cryptography.RSA.Create(2048))
        {
            File.WriteAllText(keyFile, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["type"] = "service_account", ["private_key_id"] = "bh", ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
                ["client_email"] = "bh@imageproxy-test.iam.gserviceaccount.com", ["token_uri"] = $"http://127.0.0.1:{endpoint.Port}/token",
            }));
        }

        _app = new ProxyApplication($$$"""
            {"name":"blackhole-web","pathPrefix":"/bh-web","kind":"web","allowPrivateAddresses":true,"web":{"baseUrl":"http://127.0.0.1:{{{endpoint.Port}}}/","connectTimeoutSeconds":1,"timeoutSeconds":20}},
            {"name":"blackhole-s3","pathPrefix":"/bh-s3","kind":"s3","s3":{"bucket":"b","region":"us-east-1","serviceUrl":"http://127.0.0.1:{{{endpoint.Port}}}","forcePathStyle":true,"accessKeyId":"k","secretAccessKey":"s","timeoutSeconds":2}},
            {"name":"blackhole-azure","pathPrefix":"/bh-azure","kind":"azure","azure":{"accountName":"devstoreaccount1","container":"c","endpoint":"http://127.0.0.1:{{{endpoint.Port}}}/devstoreaccount1","sharedKey":"{{{Contract.AzureTestBed.DevelopmentKey}}}","timeoutSeconds":2}},
            {"name":"blackhole-gcs","pathPrefix":"/bh-gcs","kind":"gcs","gcs":{"bucket":"b","credentialsFile":"{{{keyFile}}}","endpoint":"http://127.0.0.1:{{{endpoint.Port}}}","timeoutSeconds":2}}
            """);
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client?.Dispose();
        _app?.Dispose();
        _parked.ForEach(s => s.Dispose());
        _listener?.Dispose();
    }

    [TestCase("/bh-web/pic.png?w=10", 1.0, TestName = "web: connectTimeoutSeconds=1 ends the connect, long before timeoutSeconds=20")]
    [TestCase("/bh-s3/pic.png?w=10", 2.0, TestName = "s3: timeoutSeconds=2 ends a connect that never completes")]
    [TestCase("/bh-azure/pic.png?w=10", 2.0, TestName = "azure: timeoutSeconds=2 ends a connect that never completes")]
    [TestCase("/bh-gcs/pic.png?w=10", 2.0, TestName = "gcs: timeoutSeconds=2 ends a token fetch that never completes")]
    public async Task A_connect_that_never_completes_is_a_504_within_the_configured_time(string url, double seconds)
    {
        var clock = Stopwatch.StartNew();
        using var response = await _client.GetAsync(url);
        clock.Stop();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.GatewayTimeout), await response.Content.ReadAsStringAsync());
        // Not earlier (it really waited) and not much later (no retries of a timeout, no fallback to a longer budget).
        Assert.That(clock.Elapsed.TotalSeconds, Is.InRange(seconds * 0.9, seconds + 1.5));
    }
}
