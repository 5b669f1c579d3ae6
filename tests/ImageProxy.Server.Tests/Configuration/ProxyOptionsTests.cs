using ImageProxy.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace ImageProxy.Server.Tests.Configuration;

public sealed class ProxyOptionsTests
{
    private static ProxyOptions Bind(string[] args, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings ?? [])
            .AddCommandLine(args, new Dictionary<string, string>(CommandLineSwitches.Mappings))
            .Build();
        var options = new ProxyOptions();
        configuration.GetSection(ProxyOptions.SectionName).Bind(options);
        return options;
    }

    [Test]
    public void Command_line_flags_map_onto_the_options()
    {
        var options = Bind(["--sources", "/etc/imageproxy/sources.json", "--libvips", "/opt/libvips.so.42", "--cache-dir", "/var/cache/imageproxy"]);

        Assert.Multiple(() =>
        {
            Assert.That(options.SourcesFile, Is.EqualTo("/etc/imageproxy/sources.json"));
            Assert.That(options.LibvipsPath, Is.EqualTo("/opt/libvips.so.42"));
            Assert.That(options.CacheDir, Is.EqualTo("/var/cache/imageproxy"));
        });
    }

    [Test]
    public void Limits_bind_from_configuration_and_keep_their_defaults_otherwise()
    {
        var options = Bind([], new() { ["ImageProxy:Limits:MaxSourceBytes"] = "1000", ["ImageProxy:MaxQueuedRenders"] = "5" });

        Assert.Multiple(() =>
        {
            Assert.That(options.Limits.MaxSourceBytes, Is.EqualTo(1000));
            Assert.That(options.Limits.MaxOutputSide, Is.EqualTo(8192));
            Assert.That(options.MaxQueuedRenders, Is.EqualTo(5));
            Assert.That(new ProxyOptionsValidator().Validate(null, options).Succeeded, Is.True);
        });
    }

    [TestCase("system")]
    [TestCase("bundled")]
    [TestCase("System")]
    public void Libvips_accepts_the_two_named_builds(string setting)
    {
        var options = Bind(["--libvips", setting]);
        Assert.That(new ProxyOptionsValidator().Validate(null, options).Succeeded, Is.True);
    }

    [Test]
    public void Invalid_values_fail_validation_naming_the_key()
    {
        var options = Bind([], new()
        {
            ["ImageProxy:Limits:MaxSourceBytes"] = "0",
            ["ImageProxy:ProcessingTimeoutSeconds"] = "-1",
            ["ImageProxy:LibvipsPath"] = "/no/such/libvips.so",
        });

        var result = new ProxyOptionsValidator().Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("ImageProxy:Limits:MaxSourceBytes")
            .And.Contain("ImageProxy:ProcessingTimeoutSeconds").And.Contain("ImageProxy:LibvipsPath"));
    }

    [Test]
    public void Encoder_effort_binds_from_configuration_and_is_range_checked()
    {
        var defaults = Bind([]);
        var tuned = Bind([], new() { ["ImageProxy:Encoding:AvifEffort"] = "4", ["ImageProxy:Encoding:WebpEffort"] = "0" });
        var broken = Bind([], new() { ["ImageProxy:Encoding:AvifEffort"] = "10" });

        Assert.Multiple(() =>
        {
            Assert.That(defaults.Encoding.AvifEffort, Is.EqualTo(2), "a live proxy defaults to a fast AVIF effort");
            Assert.That((tuned.Encoding.AvifEffort, tuned.Encoding.WebpEffort), Is.EqualTo((4, 0)));
            Assert.That(new ProxyOptionsValidator().Validate(null, tuned).Succeeded, Is.True);
            Assert.That(new ProxyOptionsValidator().Validate(null, broken).FailureMessage, Does.Contain("ImageProxy:Encoding:AvifEffort"));
        });
    }
}
