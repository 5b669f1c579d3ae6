using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageProxy.Server.Tests.EndToEnd;

public sealed class RequestLoggingTests : EndToEndTest
{
    [Test]
    public async Task Each_request_logs_one_summary_line_and_never_the_signature_or_token()
    {
        var capture = new CapturingLoggerProvider();
        using var app = App.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddLogging(l => l.AddProvider(capture))));
        using var client = app.CreateClient();
        var signed = ImgixSigner.Sign(ProxyApplication.SigningToken, "/signed/pic.png", "w=40");
        var signature = signed[(signed.LastIndexOf("s=", StringComparison.Ordinal) + 2)..];

        using var ok = await client.GetAsync(signed);
        using var tampered = await client.GetAsync(signed.Replace("w=40", "w=41"));

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tampered.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var entries = capture.Entries.ToArray();
        var summaries = entries.Where(e => e.EventId.Id == 1000).Select(e => e.Text).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(summaries, Has.Length.EqualTo(2));
            Assert.That(summaries, Has.One.Contains("source=signed status=200"));
            Assert.That(summaries, Has.One.Contains("source=signed status=403"));
            Assert.That(entries.Select(e => e.Text), Has.None.Contains(signature));
            Assert.That(entries.Select(e => e.Text), Has.None.Contains(ProxyApplication.SigningToken));
        });
    }
}
