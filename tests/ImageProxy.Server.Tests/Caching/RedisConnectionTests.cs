using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageProxy.Server.Caching;
using StackExchange.Redis;
using Microsoft.Extensions.Time.Testing;

namespace ImageProxy.Server.Tests.Caching;

/// <summary>The connection wrapper against real redis-servers of the test's own: ACL login, the breaker, a stalled server.</summary>
public sealed class RedisConnectionTests
{
    private const string Acl = "--user default off --user imageproxy on >s3cret ~* &* +@all";
    private TwoNodes _nodes = null!;

    [SetUp]
    public void SetUp()
    {
        _nodes = new TwoNodes();
    }

    [TearDown]
    public void TearDown()
    {
        _nodes.Dispose();
    }

    [Test]
    public async Task AnAclUserAndPasswordInTheConfigurationStringLogIn()
    {
        using var redis = PrivateRedisServer.Start(Acl);
        var prefix = TestRedis.UniquePrefix();
        var configuration = $"{redis.Endpoint},user=imageproxy,password=s3cret";
        using var a = new CacheNode(_nodes.DirA.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, configuration, prefix);
        using var b = new CacheNode(_nodes.DirB.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, configuration, prefix);
        await a.WaitForRedisAsync();
        await b.WaitForRedisAsync();

        var rendered = await a.GetAsync("w=100");
        var shared = await b.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(shared.Tier, Is.EqualTo(CacheTier.Redis), "B read A's result through the ACL user");
            Assert.That(shared.Body.ToArray(), Is.EqualTo(rendered.Body.ToArray()));
            Assert.That(_nodes.Renderer.Renders, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AWrongPasswordMeansNoRedisButRequestsAreServed()
    {
        using var redis = PrivateRedisServer.Start(Acl);
        using var node = new CacheNode(
            _nodes.DirA.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, $"{redis.Endpoint},user=imageproxy,password=wrong", TestRedis.UniquePrefix());

        var connected = await node.Redis!.WaitConnectedAsync(TimeSpan.FromSeconds(3));
        var first = await node.GetAsync("w=100");
        var second = await node.GetAsync("w=100");

        Assert.Multiple(() =>
        {
            Assert.That(connected, Is.False);
            Assert.That(first.Body.Length, Is.GreaterThan(0));
            Assert.That(second.Tier, Is.EqualTo(CacheTier.Disk));
        });
    }

    [Test]
    public async Task TlsWithAPrivateCaAndAnAclUserWorksAndAnUntrustedCertificateIsRefused()
    {
        // A self-signed CA certificate for localhost, written as PEM files for redis-server.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(_nodes.DirA.Path, "redis.crt");
        var keyFile = Path.Combine(_nodes.DirA.Path, "redis.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        using var redis = PrivateRedisServer.Start(
            $"{Acl} --tls-port {{port}} --port 0 --tls-cert-file {certFile} --tls-key-file {keyFile} --tls-auth-clients no");
        var configuration = $"{redis.Endpoint},ssl=true,sslHost=localhost,user=imageproxy,password=s3cret";
        var prefix = TestRedis.UniquePrefix();

        using var a = new CacheNode(Path.Combine(_nodes.DirA.Path, "a"), _nodes.Origin, _nodes.Renderer, TimeProvider.System, configuration, prefix,
            o => o.RedisTrustedCaFile = certFile);
        using var b = new CacheNode(_nodes.DirB.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, configuration, prefix,
            o => o.RedisTrustedCaFile = certFile);
        using var untrusting = new CacheNode(Path.Combine(_nodes.DirA.Path, "c"), _nodes.Origin, _nodes.Renderer, TimeProvider.System, configuration, prefix);
        await a.WaitForRedisAsync();
        await b.WaitForRedisAsync();
        await a.GetAsync("w=100");
        var shared = await b.GetAsync("w=100");

        Assert.Multiple(async () =>
        {
            Assert.That(shared.Tier, Is.EqualTo(CacheTier.Redis), "B read A's result over TLS");
            Assert.That(await untrusting.Redis!.WaitConnectedAsync(TimeSpan.FromSeconds(3)), Is.False,
                "without the CA the self-signed certificate is refused");
        });
    }

    [Test]
    public async Task TheBreakerSkipsRedisAfterRepeatedFailuresAndLetsATrialThroughAfterTheBreak()
    {
        using var redis = PrivateRedisServer.Start();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var log = new CapturingLogger<RedisConnection>();
        var options = new ResultCacheOptions { RedisBreakerFailures = 3, RedisBreakerSeconds = 10 };
        using var connection = new RedisConnection(redis.Endpoint, TestRedis.UniquePrefix(), options, clock, log);
        Assert.That(await connection.WaitConnectedAsync(TimeSpan.FromSeconds(10)), Is.True);
        var calls = 0;
        Task<string> Failing(IDatabase _)
        {
            Interlocked.Increment(ref calls);
            return Task.FromException<string>(new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "simulated", null, CommandStatus.Unknown));
        }

        async Task<string> Working(IDatabase db)
        {
            Interlocked.Increment(ref calls);
            return (await db.PingAsync()) >= TimeSpan.Zero ? "pong" : "?";
        }

        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            failed.Add(await connection.RunAsync("get", Failing, "fallback"));
        }

        var whileOpen = await connection.RunAsync("get", Working, "fallback");
        var callsWhileOpen = calls;
        clock.Advance(TimeSpan.FromSeconds(11));
        var trial = await connection.RunAsync("get", Working, "fallback");
        var closed = await connection.RunAsync("get", Working, "fallback");

        Assert.Multiple(() =>
        {
            Assert.That(failed, Has.All.EqualTo("fallback"), "a failure is the caller's fallback, never an exception");
            Assert.That(whileOpen, Is.EqualTo("fallback"));
            Assert.That(callsWhileOpen, Is.EqualTo(3), "while open, Redis is not called at all");
            Assert.That(log.Count("RedisCircuitOpened"), Is.EqualTo(1), "one warning per opening");
            Assert.That(trial, Is.EqualTo("pong"), "after the break a trial call goes through");
            Assert.That(closed, Is.EqualTo("pong"), "and its success closes the circuit");
        });
    }

    [Test]
    public async Task AStalledRedisNeverFailsARequest()
    {
        using var redis = PrivateRedisServer.Start();
        using var node = new CacheNode(_nodes.DirA.Path, _nodes.Origin, _nodes.Renderer, TimeProvider.System, redis.Endpoint, TestRedis.UniquePrefix(),
            o => o.ResultCache.RedisTimeoutMilliseconds = 200);
        await node.WaitForRedisAsync();
        await node.GetAsync("w=100");

        // Redis accepts connections and commands but answers none for a while (a stall, not an outage).
        // The admin connection stays open: closing it would itself wait out the pause.
        using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},allowAdmin=true");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");

        var results = new List<ImageResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await node.GetAsync($"w={200 + i}"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Body.Length), Has.All.GreaterThan(0));
            Assert.That(node.RedisLog.Count("RedisCircuitOpened"), Is.GreaterThanOrEqualTo(1), "the breaker opened on the timeouts");
        });
    }
}
